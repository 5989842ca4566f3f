package telemetry

import (
	"strings"
	"sync"
)

// Label values that stand for many others.
const (
	// LabelUnnamed is the operation label of anonymous operations and of
	// requests whose document did not parse.
	LabelUnnamed = "unnamed"
	// LabelOther is the label value once a label has seen its cap of
	// distinct values.
	LabelOther = "other"
)

// boundedLabel admits the first max distinct values it is asked about and
// answers LabelOther for every later newcomer, so a label's cardinality
// stays bounded whatever callers send.
type boundedLabel struct {
	max  int
	mu   sync.RWMutex
	seen map[string]struct{}
}

func newBoundedLabel(max int) *boundedLabel {
	return &boundedLabel{max: max, seen: make(map[string]struct{}, max)}
}

// value returns v when it is, or can still become, one of the admitted values.
func (b *boundedLabel) value(v string) string {
	b.mu.RLock()
	_, ok := b.seen[v]
	b.mu.RUnlock()
	if ok {
		return v
	}

	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.seen[v]; ok {
		return v
	}
	if len(b.seen) >= b.max {
		return LabelOther
	}
	b.seen[v] = struct{}{}
	return v
}

// RouteFamily folds a raw upstream path into its route family: the base path
// is cut off and every segment that looks like an identifier becomes {id}, so
// "/commercial/api/v1/leads/5f0c...e1" with base "/commercial" gives
// "/api/v1/leads/{id}". Query strings never reach it.
func RouteFamily(basePath, path string) string {
	path = strings.TrimPrefix(path, strings.TrimRight(basePath, "/"))
	segments := strings.Split(strings.Trim(path, "/"), "/")
	var b strings.Builder
	for _, s := range segments {
		if s == "" {
			continue
		}
		b.WriteByte('/')
		if isWord(s) {
			b.WriteString(s)
		} else {
			b.WriteString("{id}")
		}
	}
	if b.Len() == 0 {
		return "/"
	}
	return b.String()
}

// isWord reports whether a path segment reads like part of a route ("leads",
// "users-revenue-kpi", "v1") rather than an identifier: lower-case letters,
// '-' and '_' only, at most 40 bytes, or a version like "v2".
func isWord(s string) bool {
	if len(s) > 40 || looksLikeUUID(s) {
		return false
	}
	if len(s) >= 2 && s[0] == 'v' && allDigits(s[1:]) {
		return true
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'a' || c > 'z') && c != '-' && c != '_' {
			return false
		}
	}
	return true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// looksLikeUUID reports whether s has the 8-4-4-4-12 shape of a UUID.
func looksLikeUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if c != '-' {
				return false
			}
		case (c < '0' || c > '9') && (c < 'a' || c > 'f') && (c < 'A' || c > 'F'):
			return false
		}
	}
	return true
}
