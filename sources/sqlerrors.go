package sources

import (
	"context"
	"errors"
	"io"
	"net"
	"net/url"
	"regexp"
	"strings"
	"syscall"
)

// Reword returns an error that reads as msg and still matches err with
// errors.Is and errors.As.
func Reword(err error, format string, args ...any) error {
	return errorf(err, format, args...)
}

// NetTransient reports whether err is a network fault worth a retry: a
// refused, reset or dropped connection, or a timeout, but not an unknown host.
func NetTransient(err error) bool {
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return dns.IsTemporary || dns.IsTimeout
	}
	// DeadlineExceeded: an attempt's own timeout (a cancelled run is checked first).
	for _, e := range []error{io.EOF, io.ErrUnexpectedEOF, net.ErrClosed, context.DeadlineExceeded, syscall.ECONNREFUSED,
		syscall.ECONNRESET, syscall.ECONNABORTED, syscall.EPIPE, syscall.ETIMEDOUT, syscall.EHOSTUNREACH,
		syscall.ENETUNREACH} {
		if errors.Is(err, e) {
			return true
		}
	}
	var op *net.OpError
	return errors.As(err, &op)
}

// Patterns of credentials in driver texts: the password of a URL or of a
// MySQL DSN (user:password@), and a password=... keyword.
var (
	userPassword    = regexp.MustCompile(`([^\s:/@'"(]+):[^\s@]*@`)
	passwordKeyword = regexp.MustCompile(`(?i)\b(password|passwd|pwd)\s*=\s*('(?:[^'\\]|\\.)*'|[^\s&;]+)`)
)

// Redact removes the secrets, and anything shaped like a credential, from text.
func Redact(text string, secrets []string) string {
	for _, s := range secrets {
		if s != "" {
			text = strings.ReplaceAll(text, s, "xxxxx")
		}
	}
	text = userPassword.ReplaceAllString(text, "$1:xxxxx@")
	return passwordKeyword.ReplaceAllString(text, "$1=xxxxx")
}

// Secrets returns the strings a DSN's password may appear as in a text:
// the DSN itself, the password and its URL-escaped forms.
func Secrets(dsn, password string) []string {
	return []string{dsn, password, url.QueryEscape(password), url.PathEscape(password)}
}

// sqlError is an error whose text was built (and redacted) by SQLSource.
type sqlError struct {
	msg  string
	errs []error
}

func (e *sqlError) Error() string   { return e.msg }
func (e *sqlError) Unwrap() []error { return e.errs }
