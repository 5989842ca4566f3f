package simulator

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// seedLead draws lead number i. The first five leads pin down the awkward
// cases (each spelling of gender, a null reference, absent keys) so that even
// a small data set holds them; the rest are drawn at realistic rates.
func (s *store) seedLead(r *rand.Rand, i int) lead {
	created := seedEpoch.Add(-time.Duration(r.Int64N(int64(730 * 24 * time.Hour))))
	created = created.Truncate(time.Microsecond)
	if r.IntN(30) == 0 {
		created = created.Truncate(time.Second)
	}
	span := min(seedEpoch.Sub(created), 60*24*time.Hour)
	updated := created.Add(time.Duration(r.Int64N(int64(span) + 1)))
	updated = updated.Truncate(time.Microsecond)

	l := lead{
		ID: newUUID(r), Status: pick(r, leadStatuses), Node: pick(r, leadNodes),
		CreatedAt: stamp(created), UpdatedAt: stamp(updated), created: created,
	}
	female := r.IntN(2) == 0
	first, last := pick(r, maleFirstNames), pick(r, lastNames)
	if female {
		first = pick(r, femaleFirstNames)
	}
	kind := r.IntN(100)
	if i == 4 {
		kind = 90
	}
	switch {
	case kind < 45:
		l.LeadType = present("company")
		l.Name = companyName(r)
	case kind < 85:
		l.LeadType = present("individual")
		l.Name = first + " " + last
	case kind < 90:
		l.LeadType = nullString()
		l.Name = companyName(r)
	default:
		l.Name = companyName(r)
	}

	s.seedContact(r, &l, first, last)
	s.seedLinks(r, &l)
	l.Gender = seedGender(r, i, l.LeadType, female)
	if i == 2 || r.IntN(7) == 0 {
		l.Reference = nil
	} else {
		l.Reference = ptr(fmt.Sprintf("CPL-%d-%06d", created.Year(), i+1))
	}
	return l
}

func (s *store) seedContact(r *rand.Rand, l *lead, first, last string) {
	if r.IntN(20) != 0 {
		l.ContactPerson = ptr(first + " " + last)
	}
	if r.IntN(20) != 0 {
		l.ContactPhone = ptr(phone(r))
	}
	switch n := r.IntN(20); {
	case n < 2:
	case n < 3:
		l.ContactEmail = ptr("")
	case l.LeadType.v == "company":
		l.ContactEmail = ptr(companyEmail(r, l.Name))
	default:
		local := slug(first) + "." + slug(last)
		if r.IntN(3) == 0 {
			local += fmt.Sprint(r.IntN(100))
		}
		l.ContactEmail = ptr(local + "@" + pick(r, emailProviders))
	}
}

func (s *store) seedLinks(r *rand.Rand, l *lead) {
	if r.IntN(25) != 0 {
		l.LeadCategory = ptr(pick(r, s.categories.items).ID)
	}
	if r.IntN(25) != 0 {
		l.Source = ptr(pick(r, s.sources.items).ID)
	}
	n := 1 + r.IntN(4)
	for _, k := range r.Perm(len(s.products.items))[:n] {
		l.Products = append(l.Products, s.products.items[k].ID)
	}
	switch n := r.IntN(10); {
	case n < 3:
	case n < 4:
		l.Partner = nullString()
	default:
		l.Partner = present(pick(r, s.partners.items).ID)
	}
}

// seedGender gives individuals mostly a real gender and everyone else mostly
// "", null or nothing, as the upstream data does.
func seedGender(r *rand.Rand, i int, leadType optString, female bool) optString {
	spelled := present("male")
	if female {
		spelled = present("female")
	}
	forced := []optString{present("male"), present("female"), present(""), nullString(), {}}
	if i < len(forced) {
		return forced[i]
	}
	n := r.IntN(10)
	if leadType.v == "individual" && n < 7 {
		return spelled
	}
	switch n % 3 {
	case 0:
		return present("")
	case 1:
		return nullString()
	default:
		return optString{}
	}
}

func companyName(r *rand.Rand) string {
	name := pick(r, companyPrefixes) + " " + pick(r, companyTrades)
	if suffix := pick(r, companySuffixes); suffix != "" {
		name += " " + suffix
	}
	return name
}

func companyEmail(r *rand.Rand, name string) string {
	words := strings.Fields(name)
	domain := slug(strings.Join(words[:min(2, len(words))], " "))
	email := pick(r, []string{"info", "sales", "accounts", "hello"}) + "@" + domain +
		"." + pick(r, companyTLDs)
	if len(email) > 50 {
		email = "info@" + slug(words[0]) + ".co.ke"
	}
	return email
}
