package simulator

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"
)

// seedEpoch is the fixed "now" of the seeded data, so that two runs with the
// same seed produce the same bytes.
var seedEpoch = time.Date(2025, 6, 30, 9, 0, 0, 0, time.UTC)

// The fixed accounts behind the token endpoint's two grants.
const (
	demoUsername    = "demo"
	serviceUsername = "service-account-cape-demo"
)

// store is the simulator's in-memory database. mu guards everything in it.
type store struct {
	mu         sync.RWMutex
	leads      *collection[lead]
	categories *collection[named]
	sources    *collection[named]
	products   *collection[product]
	partners   *collection[named]
	users      *collection[user]
	kpiLead    string
	refSeq     int
}

// seedStore builds the deterministic data set.
func seedStore(nLeads int, seed int64) *store {
	r := rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))
	s := &store{}

	s.categories = newCollection(seedNamed(r, categoryNames, "Leads from the %s sector."),
		namedID)
	s.sources = newCollection(seedNamed(r, sourceNames, "Came to us through %s."), namedID)
	s.products = newCollection(seedProducts(r), func(p product) string { return p.ID })
	s.partners = newCollection(seedPartners(r), namedID)
	s.users = newCollection(seedUsers(r), func(u user) string { return u.ID })

	leads := make([]lead, nLeads)
	for i := range leads {
		leads[i] = s.seedLead(r, i)
	}
	slices.SortFunc(leads, compareLeads)
	s.leads = newCollection(leads, func(l lead) string { return l.ID })
	s.refSeq = nLeads
	if nLeads > 0 {
		s.kpiLead = leads[0].ID
	}
	return s
}

// compareLeads orders leads newest first, then by id.
func compareLeads(a, b lead) int {
	if c := b.created.Compare(a.created); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

func namedID(n named) string { return n.ID }

func seedNamed(r *rand.Rand, names []string, describe string) []named {
	out := make([]named, len(names))
	for i, name := range names {
		out[i] = named{ID: newUUID(r), Name: name}
		if r.IntN(5) != 0 {
			out[i].Description = ptr(fmt.Sprintf(describe, name))
		}
	}
	return out
}

func seedProducts(r *rand.Rand) []product {
	out := make([]product, len(productNames))
	for i, name := range productNames {
		cents := []string{"00", "00", "00", "50", "99"}[r.IntN(5)]
		out[i] = product{
			ID:    newUUID(r),
			Name:  name,
			Price: fmt.Sprintf("%d.%s", (1+r.IntN(400))*500, cents),
		}
		if r.IntN(4) != 0 {
			out[i].Description = ptr(name + " on Cape Media platforms.")
		}
	}
	return out
}

func seedPartners(r *rand.Rand) []named {
	out := make([]named, len(partnerWords))
	for i, word := range partnerWords {
		out[i] = named{ID: newUUID(r), Name: word + " " + pick(r, partnerKinds)}
		if r.IntN(3) != 0 {
			out[i].Description = ptr("Agency partner based in the " + word + " region.")
		}
	}
	return out
}

// seedUsers makes the demo user, the client's service account and staff.
func seedUsers(r *rand.Rand) []user {
	users := []user{
		seedUser(r, demoUsername, "Demo", "User", []string{"sales", "admin"}),
		seedUser(r, serviceUsername, "", "", []string{"sales"}),
	}
	users[0].Email = "demo@capedigital.co.ke"
	users[0].Status = "active"
	users[1].Email = "service-account-cape-demo@placeholder.org"
	users[1].Status = "active"

	taken := map[string]bool{demoUsername: true, serviceUsername: true}
	for len(users) < 40 {
		first, last := personName(r)
		username := slug(first) + "." + slug(last)
		for n := 2; taken[username]; n++ {
			username = fmt.Sprintf("%s.%s%d", slug(first), slug(last), n)
		}
		taken[username] = true
		roles := []string{pick(r, staffRoles)}
		if r.IntN(4) == 0 {
			roles = append(roles, pick(r, staffRoles))
		}
		users = append(users, seedUser(r, username, first, last, roles))
	}
	return users
}

func seedUser(r *rand.Rand, username, first, last string, roles []string) user {
	joined := seedEpoch.Add(-time.Duration(r.Int64N(int64(900 * 24 * time.Hour))))
	joined = joined.Truncate(time.Microsecond)
	u := user{
		ID: newUUID(r), Username: username, FirstName: first, LastName: last,
		Email:  username + "@capedigital.co.ke",
		Status: pick(r, userStatuses), InactiveAlert: r.IntN(5) == 0,
		DateJoined: stamp(joined), joined: joined, roles: roles,
	}
	if r.IntN(6) != 0 && first != "" {
		u.Name = ptr(strings.TrimSpace(first + " " + last))
	}
	if r.IntN(5) != 0 {
		u.PhoneNumber = ptr(phone(r))
	}
	if r.IntN(5) != 0 {
		login := joined.Add(time.Duration(r.Int64N(int64(seedEpoch.Sub(joined)) + 1)))
		u.LastLogin = ptr(stamp(login))
	}
	return u
}

// newUUID draws a version 4 UUID from r.
func newUUID(r *rand.Rand) string { return uuidFrom(r.Uint64(), r.Uint64()) }

// randomUUID is a fresh, non-deterministic UUID for records made at run time.
func randomUUID() string { return uuidFrom(rand.Uint64(), rand.Uint64()) }

func uuidFrom(hi, lo uint64) string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], hi)
	binary.BigEndian.PutUint64(b[8:], lo)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

func pick[T any](r *rand.Rand, from []T) T { return from[r.IntN(len(from))] }

func personName(r *rand.Rand) (first, last string) {
	if r.IntN(2) == 0 {
		return pick(r, maleFirstNames), pick(r, lastNames)
	}
	return pick(r, femaleFirstNames), pick(r, lastNames)
}

// slug lowercases s and keeps letters and digits, joining words with "-".
func slug(s string) string {
	var b strings.Builder
	for _, w := range strings.Fields(strings.ToLower(s)) {
		if b.Len() > 0 {
			b.WriteByte('-')
		}
		for _, c := range w {
			if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
				b.WriteRune(c)
			}
		}
	}
	return strings.Trim(b.String(), "-")
}

// phone draws an East African phone number in one of the usual spellings.
func phone(r *rand.Rand) string {
	switch r.IntN(6) {
	case 0, 1:
		return fmt.Sprintf("+2547%08d", r.IntN(100000000))
	case 2:
		return fmt.Sprintf("07%02d %03d %03d", r.IntN(100), r.IntN(1000), r.IntN(1000))
	case 3:
		return fmt.Sprintf("+254 1%02d %06d", r.IntN(100), r.IntN(1000000))
	case 4:
		return fmt.Sprintf("+256 7%02d %06d", r.IntN(100), r.IntN(1000000))
	default:
		return fmt.Sprintf("+255 7%02d %03d %03d", r.IntN(100), r.IntN(1000), r.IntN(1000))
	}
}
