package simulator_test

import (
	"fmt"
	"net/http"
	"time"

	"github.com/capedigital/cape-gateway/simulator"
)

// A test starts a simulator on a free port, takes the demo token and calls
// the REST API under /commercial.
func Example() {
	sim, err := simulator.New(simulator.Options{Leads: 100, Seed: 7})
	if err != nil {
		panic(err)
	}
	if err := sim.Start("127.0.0.1:0"); err != nil {
		panic(err)
	}
	defer sim.Close()

	token, err := sim.DemoToken(time.Minute)
	if err != nil {
		panic(err)
	}
	req, _ := http.NewRequest(http.MethodGet, sim.URL()+"/commercial/api/v1/leads", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	res.Body.Close()

	fmt.Println(res.StatusCode, sim.Stats().Requests["GET /commercial/api/v1/leads"])
	// Output: 200 1
}
