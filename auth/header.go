package auth

import (
	"net/http"
	"strings"
)

const (
	// maxTokenBytes caps a token. Keycloak access tokens are one to three KiB; anything
	// near this size is refused without being parsed.
	maxTokenBytes = 8 << 10
	// maxAuthorizationBytes caps the whole header value, a little above maxTokenBytes.
	maxAuthorizationBytes = maxTokenBytes + 64
)

// bearerToken extracts the token from the request's Authorization header. The scheme is
// matched without regard to case or surrounding spaces; the token is returned exactly as
// sent. Anything but one header holding "Bearer" and one token is refused.
func bearerToken(r *http.Request) (string, *refusal) {
	values := r.Header.Values("Authorization")
	switch {
	case len(values) == 0:
		return "", &refusal{reason: reasonMissing}
	case len(values) > 1:
		return "", &refusal{reason: reasonMalformed, tokenGiven: true}
	}
	return parseAuthorization(values[0])
}

// parseAuthorization parses one Authorization header value.
func parseAuthorization(value string) (string, *refusal) {
	if len(value) > maxAuthorizationBytes {
		return "", &refusal{reason: reasonMalformed, tokenGiven: true}
	}

	words := strings.Fields(value)
	switch {
	case len(words) == 0:
		return "", &refusal{reason: reasonMissing}
	case !strings.EqualFold(words[0], "Bearer"):
		if len(words) == 1 {
			// A bare credential with no scheme, most often a token sent as is.
			return "", &refusal{reason: reasonMalformed, tokenGiven: true}
		}
		return "", &refusal{reason: reasonScheme}
	case len(words) == 1:
		return "", &refusal{reason: reasonMissing}
	case len(words) > 2:
		return "", &refusal{reason: reasonMalformed, tokenGiven: true}
	}

	token := words[1]
	if len(token) > maxTokenBytes {
		return "", &refusal{reason: reasonMalformed, tokenGiven: true}
	}
	return token, nil
}
