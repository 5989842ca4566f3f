package graph

import (
	"fmt"
	"net/mail"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"

	"github.com/capedigital/cape-gateway/graph/model"
	"github.com/capedigital/cape-gateway/upstream"
)

// checker collects the problems of one input object before any upstream call.
type checker struct {
	problems []FieldProblem
}

func (c *checker) add(field, format string, args ...any) {
	c.problems = append(c.problems,
		FieldProblem{Field: "input." + field, Message: fmt.Sprintf(format, args...)})
}

// length checks that s has between lo and hi characters, counted as the upstream
// counts them (code points).
func (c *checker) length(field, s string, lo, hi int) {
	n := utf8.RuneCountInString(s)
	switch {
	case n < lo && lo == 1:
		c.add(field, "must not be empty")
	case n < lo:
		c.add(field, "must be at least %d characters", lo)
	case n > hi:
		c.add(field, "must be at most %d characters", hi)
	}
}

func (c *checker) optionalLength(field string, s *string, hi int) {
	if s != nil {
		c.length(field, *s, 0, hi)
	}
}

// email checks a bare address: no display name, no surrounding text.
func (c *checker) email(field, s string, hi int) {
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s || addr.Name != "" {
		c.add(field, "must be an email address")
		return
	}
	c.length(field, s, 1, hi)
}

func (c *checker) err() error {
	if len(c.problems) == 0 {
		return nil
	}
	return &InputError{Problems: c.problems}
}

// The documented limits of lead fields.
const (
	maxLeadName      = 100
	maxContactPerson = 100
	maxContactPhone  = 30
	maxContactEmail  = 50
	maxReference     = 30
)

// leadContact checks the optional contact fields and reference of a lead, which
// a new lead and an update share.
func (c *checker) leadContact(person, phone, email, reference *string) {
	c.optionalLength("contactPerson", person, maxContactPerson)
	c.optionalLength("contactPhone", phone, maxContactPhone)
	if email != nil {
		c.email("contactEmail", *email, maxContactEmail)
	}
	c.optionalLength("reference", reference, maxReference)
}

// leadInputFromGraphQL validates a new lead and maps it to the upstream body.
func leadInputFromGraphQL(in model.CreateLeadInput) (upstream.LeadInput, error) {
	var c checker
	c.length("name", in.Name, 1, maxLeadName)
	c.leadContact(in.ContactPerson.Value(), in.ContactPhone.Value(), in.ContactEmail.Value(),
		in.Reference.Value())
	if err := c.err(); err != nil {
		return upstream.LeadInput{}, err
	}

	return upstream.LeadInput{
		Name:          in.Name,
		ContactPerson: in.ContactPerson.Value(),
		ContactPhone:  in.ContactPhone.Value(),
		ContactEmail:  in.ContactEmail.Value(),
		LeadCategory:  in.CategoryID.Value(),
		Source:        in.SourceID.Value(),
		Products:      in.ProductIds.Value(),
		Partner:       in.PartnerID.Value(),
		Reference:     in.Reference.Value(),
		LeadType:      wirePtr(in.LeadType.Value()),
		Gender:        wirePtr(in.Gender.Value()),
	}, nil
}

// wirePtr returns the upstream spelling of an optional enum value.
func wirePtr[E interface{ Wire() string }](v *E) *string {
	if v == nil {
		return nil
	}
	s := (*v).Wire()
	return &s
}

// leadUpdateFromGraphQL validates a partial update and maps it so that only the
// fields the client gave are sent, an explicit null as null.
func leadUpdateFromGraphQL(in model.UpdateLeadInput) (upstream.LeadUpdate, error) {
	var c checker
	if in.Name.IsSet() {
		if n := in.Name.Value(); n == nil {
			c.add("name", "cannot be cleared")
		} else {
			c.length("name", *n, 1, maxLeadName)
		}
	}
	c.leadContact(in.ContactPerson.Value(), in.ContactPhone.Value(), in.ContactEmail.Value(),
		in.Reference.Value())
	if err := c.err(); err != nil {
		return upstream.LeadUpdate{}, err
	}

	return upstream.LeadUpdate{
		Name:          optional(in.Name),
		ContactPerson: optional(in.ContactPerson),
		ContactPhone:  optional(in.ContactPhone),
		ContactEmail:  optional(in.ContactEmail),
		LeadCategory:  optional(in.CategoryID),
		Source:        optional(in.SourceID),
		Products:      optionalList(in.ProductIds),
		Partner:       optional(in.PartnerID),
		Reference:     optional(in.Reference),
		LeadType:      optionalEnum(in.LeadType),
		Gender:        optionalEnum(in.Gender),
	}, nil
}

// optional carries gqlgen's omitted/null/value distinction to the upstream.
func optional[T any](o graphql.Omittable[*T]) upstream.Optional[T] {
	switch v := o.Value(); {
	case !o.IsSet():
		return upstream.Optional[T]{}
	case v == nil:
		return upstream.Null[T]()
	default:
		return upstream.Some(*v)
	}
}

func optionalList[T any](o graphql.Omittable[[]T]) upstream.Optional[[]T] {
	switch v := o.Value(); {
	case !o.IsSet():
		return upstream.Optional[[]T]{}
	case v == nil:
		return upstream.Null[[]T]()
	default:
		return upstream.Some(v)
	}
}

func optionalEnum[E interface{ Wire() string }](o graphql.Omittable[*E]) upstream.Optional[string] {
	switch v := o.Value(); {
	case !o.IsSet():
		return upstream.Optional[string]{}
	case v == nil:
		return upstream.Null[string]()
	default:
		return upstream.Some((*v).Wire())
	}
}

// leadCategoryInputFromGraphQL validates a new lead category.
func leadCategoryInputFromGraphQL(in model.CreateLeadCategoryInput,
) (upstream.LeadCategoryInput, error) {
	var c checker
	c.length("name", in.Name, 1, 100)
	c.length("description", in.Description, 1, 10000)
	return upstream.LeadCategoryInput{Name: in.Name, Description: in.Description}, c.err()
}

// registerUserFromGraphQL validates a staff registration with the documented limits.
func registerUserFromGraphQL(in model.RegisterUserInput) (upstream.RegisterUserInput, error) {
	var c checker
	c.email("email", in.Email, 254)
	c.length("firstName", in.FirstName, 1, 150)
	c.length("lastName", in.LastName, 1, 150)
	c.length("countryCode", in.CountryCode, 1, 3)
	c.length("phoneNumber", in.PhoneNumber, 1, 50)
	c.length("employeeNumber", in.EmployeeNumber, 1, 100)

	realm := "capemedia"
	if r := in.Realm.Value(); r != nil && *r != "" {
		realm = *r
	}
	return upstream.RegisterUserInput{
		Email:          in.Email,
		FirstName:      in.FirstName,
		LastName:       in.LastName,
		CountryCode:    in.CountryCode,
		PhoneNumber:    in.PhoneNumber,
		EmployeeNumber: in.EmployeeNumber,
		Gender:         string(in.Gender),
		Department:     in.Department.Value(),
		Section:        in.Section.Value(),
		Roles:          in.Roles.Value(),
		Realm:          realm,
	}, c.err()
}

// The shortest password the upstream accepts.
const minPasswordLength = 8

// registerConsumerFromGraphQL validates a consumer sign-up.
func registerConsumerFromGraphQL(in model.RegisterConsumerInput,
) (upstream.RegisterConsumerInput, error) {
	var c checker
	c.email("email", in.Email, 254)
	c.length("firstName", in.FirstName, 1, 150)
	c.length("lastName", in.LastName, 1, 150)
	if utf8.RuneCountInString(in.Password) < minPasswordLength {
		c.add("password", "must be at least %d characters", minPasswordLength)
	}
	if in.ConfirmPassword != in.Password {
		c.add("confirmPassword", "must match password")
	}
	return upstream.RegisterConsumerInput{
		Email:           in.Email,
		FirstName:       in.FirstName,
		LastName:        in.LastName,
		Password:        in.Password,
		ConfirmPassword: in.ConfirmPassword,
	}, c.err()
}
