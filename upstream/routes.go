package upstream

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Routes are the upstream paths, relative to the base URL. A route that ends
// with a slash gives item paths that end with one too ("/leads/" gives
// "/leads/{id}/"), for servers that insist on trailing slashes.
type Routes struct {
	Leads            string
	LeadCategories   string
	Sources          string
	Products         string
	Partners         string
	Users            string
	UsersByRole      string
	UserInfo         string
	Register         string
	RegisterConsumer string
	RevenueKPI       string
}

// DefaultRoutes returns the routes of the documented API.
func DefaultRoutes() Routes {
	return Routes{
		Leads:            "/api/v1/leads",
		LeadCategories:   "/api/v1/lead-categories",
		Sources:          "/api/v1/sources",
		Products:         "/api/v1/products",
		Partners:         "/api/v1/partners",
		Users:            "/api/v1/auth/users",
		UsersByRole:      "/api/v1/auth/users/by-role",
		UserInfo:         "/api/v1/auth/users/user-info",
		Register:         "/api/v1/auth/register",
		RegisterConsumer: "/api/v1/auth/register-consumer",
		RevenueKPI:       "/api/v1/leads/analytics/users-revenue-kpi",
	}
}

func (r *Routes) fields() []*string {
	return []*string{
		&r.Leads, &r.LeadCategories, &r.Sources, &r.Products, &r.Partners,
		&r.Users, &r.UsersByRole, &r.UserInfo, &r.Register, &r.RegisterConsumer,
		&r.RevenueKPI,
	}
}

// merge returns r with every non-empty field of o put in its place.
func (r Routes) merge(o Routes) Routes {
	dst, src := r.fields(), o.fields()
	for i := range dst {
		if *src[i] != "" {
			*dst[i] = *src[i]
		}
	}
	return r
}

// validate refuses routes that are not plain absolute paths.
func (r *Routes) validate() error {
	for _, route := range r.fields() {
		if !strings.HasPrefix(*route, "/") || strings.ContainsAny(*route, "?#\\") {
			return fmt.Errorf("upstream: route %q must be an absolute path", *route)
		}
		if u, err := url.Parse(*route); err != nil || u.Host != "" {
			return fmt.Errorf("upstream: route %q must be an absolute path", *route)
		}
	}
	return nil
}

// ErrInvalidID is returned, without any call, for an id that cannot name a
// record: empty, "." or "..". IsNotFound reports true for it.
var ErrInvalidID = errors.New("upstream: invalid id")

// itemPath returns the path of the record id below collection, and the route
// family to name in errors. The id is escaped, so it stays one segment.
func itemPath(collection, id string) (path, route string, err error) {
	if id == "" || id == "." || id == ".." {
		return "", "", ErrInvalidID
	}

	trailing := strings.HasSuffix(collection, "/")
	base := strings.TrimSuffix(collection, "/")
	path, route = base+"/"+url.PathEscape(id), base+"/{id}"
	if trailing {
		path, route = path+"/", route+"/"
	}
	return path, route, nil
}
