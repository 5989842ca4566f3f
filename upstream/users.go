package upstream

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
)

// maxRolePages bounds how many pages ListUsersByRole follows.
const maxRolePages = 50

// User is a staff or consumer account.
type User struct {
	ID            string  `json:"id"`
	Username      string  `json:"username"`
	Name          *string `json:"name"`
	InactiveAlert *bool   `json:"inactive_alert"`
	Email         *string `json:"email"`
	FirstName     *string `json:"first_name"`
	LastName      *string `json:"last_name"`
	PhoneNumber   *string `json:"phone_number"`
	Status        *string `json:"status"`
	DateJoined    *Time   `json:"date_joined"`
	LastLogin     *Time   `json:"last_login"`
}

// UserListOptions selects a page of users. Zero fields are not sent.
type UserListOptions struct {
	Page     int
	PageSize int
	Ordering string
	Search   string
	Status   string
}

func (o UserListOptions) query() string {
	q := url.Values{}
	if o.Page > 0 {
		q.Set("page", strconv.Itoa(o.Page))
	}
	if o.PageSize > 0 {
		q.Set("page_size", strconv.Itoa(o.PageSize))
	}
	if o.Ordering != "" {
		q.Set("ordering", o.Ordering)
	}
	if o.Search != "" {
		q.Set("search", o.Search)
	}
	if o.Status != "" {
		q.Set("status", o.Status)
	}
	return q.Encode()
}

// UserPage is one page of the page-numbered user list. NextPage and
// PreviousPage are 0 when there is no such page.
type UserPage struct {
	Count        int64
	Results      []User
	NextPage     int
	PreviousPage int
}

type userPageBody struct {
	Count    int64   `json:"count"`
	Results  *[]User `json:"results"`
	Next     *string `json:"next"`
	Previous *string `json:"previous"`
}

// ListUsers returns one page of users.
//
// Upstream: GET /api/v1/auth/users
func (c *Client) ListUsers(ctx context.Context, opts UserListOptions) (*UserPage, error) {
	route := c.routes.Users

	var body userPageBody
	var page UserPage
	check := func() string {
		if body.Results == nil {
			return "list without results"
		}

		var ok bool
		page.Count, page.Results = body.Count, *body.Results
		if page.NextPage, ok = pageNumber(body.Next, 0); !ok {
			return "next link without a page number"
		}
		// DRF drops the page parameter from a link to the first page.
		if page.PreviousPage, ok = pageNumber(body.Previous, 1); !ok {
			return "previous link with an invalid page number"
		}
		return ""
	}

	if err := c.do(ctx, newGet(route, route, opts.query()), &body, check); err != nil {
		return nil, err
	}
	return &page, nil
}

// pageNumber returns the page parameter of link, 0 when link is nil, and
// absent when the link has no page parameter. It reports false for a link
// that cannot be used.
func pageNumber(link *string, absent int) (int, bool) {
	if link == nil || *link == "" {
		return 0, true
	}

	u, err := url.Parse(*link)
	if err != nil {
		return 0, false
	}
	v := u.Query().Get("page")
	if v == "" {
		return absent, absent > 0
	}
	n, err := strconv.Atoi(v)
	return n, err == nil && n > 0
}

// userListBody is either a bare list of users or a paged object.
type userListBody struct {
	results *[]User
	next    *string
}

func (b *userListBody) UnmarshalJSON(data []byte) error {
	if len(data) > 0 && data[0] == '[' {
		var list []User
		err := json.Unmarshal(data, &list)
		b.results = &list
		return err
	}

	var page struct {
		Results *[]User `json:"results"`
		Next    *string `json:"next"`
	}
	err := json.Unmarshal(data, &page)
	b.results, b.next = page.Results, page.Next
	return err
}

// nextQuery returns the paging parameter of the next link, page number or
// cursor, and reports false when there is a link but no usable parameter.
func (b *userListBody) nextQuery() (key, value string, ok bool) {
	if n, ok := pageNumber(b.next, 0); ok && n > 0 {
		return "page", strconv.Itoa(n), true
	}
	if b.next == nil || *b.next == "" {
		return "", "", true
	}
	cursor, ok := linkParam(b.next, "cursor")
	return "cursor", cursor, ok
}

// ListUsersByRole returns every user holding role. It accepts a bare list
// or a paged answer, and follows up to 50 pages by page number or cursor; a
// page link seen before ends the walk.
//
// Upstream: GET /api/v1/auth/users/by-role?role={role}
func (c *Client) ListUsersByRole(ctx context.Context, role string) ([]User, error) {
	route := c.routes.UsersByRole
	query := url.Values{"role": {role}}
	seen := map[string]bool{}
	users := []User{}

	for range maxRolePages {
		var body userListBody
		var key, value string
		check := func() string {
			var ok bool
			if body.results == nil {
				return "list without results"
			}
			if key, value, ok = body.nextQuery(); !ok {
				return "next link without a page or cursor"
			}
			return ""
		}
		r := newGet(route, route, query.Encode())
		if err := c.do(ctx, r, &body, check); err != nil {
			return nil, err
		}

		users = append(users, *body.results...)
		if value == "" || seen[key+"="+value] {
			return users, nil
		}
		seen[key+"="+value] = true
		query = url.Values{"role": {role}, key: {value}}
	}

	r := newGet(route, route, "")
	return nil, badResponse(r, http.StatusOK, "more than 50 pages", nil)
}

// GetUserInfo returns the user behind the token in ctx.
//
// Upstream: GET /api/v1/auth/users/user-info
func (c *Client) GetUserInfo(ctx context.Context) (*User, error) {
	route := c.routes.UserInfo

	var user User
	if err := c.do(ctx, newGet(route, route, ""), &user, nil); err != nil {
		return nil, err
	}
	return &user, nil
}

// RegisterUserInput is the body of a staff registration. An empty Realm is
// sent as "capemedia".
type RegisterUserInput struct {
	Email          string   `json:"email"`
	FirstName      string   `json:"first_name"`
	LastName       string   `json:"last_name"`
	CountryCode    string   `json:"country_code"`
	PhoneNumber    string   `json:"phone_number"`
	EmployeeNumber string   `json:"employee_number"`
	Gender         string   `json:"gender"`
	Department     *string  `json:"department,omitempty"`
	Section        *string  `json:"section,omitempty"`
	Roles          []string `json:"roles,omitempty"`
	Realm          string   `json:"realm"`
}

// RegisterConsumerInput is the body of a consumer registration.
type RegisterConsumerInput struct {
	Email           string `json:"email"`
	FirstName       string `json:"first_name"`
	LastName        string `json:"last_name"`
	Password        string `json:"password"`
	ConfirmPassword string `json:"confirm_password"`
}

// RegisterUser registers a staff user and returns the account.
//
// Upstream: POST /api/v1/auth/register
func (c *Client) RegisterUser(ctx context.Context, in RegisterUserInput) (*User, error) {
	if in.Realm == "" {
		in.Realm = "capemedia"
	}
	return c.register(ctx, c.routes.Register, in)
}

// RegisterConsumer registers a consumer and returns the account.
//
// Upstream: POST /api/v1/auth/register-consumer
func (c *Client) RegisterConsumer(ctx context.Context, in RegisterConsumerInput) (*User, error) {
	return c.register(ctx, c.routes.RegisterConsumer, in)
}

func (c *Client) register(ctx context.Context, route string, in any) (*User, error) {
	r, err := newWithBody(http.MethodPost, route, route, in)
	if err != nil {
		return nil, err
	}

	var user User
	if err := c.do(ctx, r, &user, nil); err != nil {
		return nil, err
	}
	return &user, nil
}
