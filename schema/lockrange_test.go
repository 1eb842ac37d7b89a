package schema

import (
	"strings"
	"testing"
)

// An ID more than MaxIDGap past the lock's entry count is an error at its
// line; the one at the limit is not. An ID past uint32 is too large, and
// says so.
func TestLockIDsFarPastTheEntriesAreRejected(t *testing.T) {
	for _, c := range []struct {
		lock, want string
	}{
		{"permcat-lock 1\ncatalog x\n1 a.b\n65538 a.c\n65539 a.d\n", ""},
		{"permcat-lock 1\ncatalog x\n1 a.b\n65538 a.c\n65540 a.d\n", "permcat.lock:5:1: ID 65540 is far past the others: the lock holds 3 entries, so its IDs go up to 65539 at most"},
		{"permcat-lock 1\ncatalog x\n70000 a.b\n", "permcat.lock:3:1: ID 70000 is far past the others: the lock holds 1 entry, so its IDs go up to 65537 at most"},
		{"permcat-lock 1\ncatalog x\n4294967295 a.b\n", "permcat.lock:3:1: ID 4294967295 is too large: an ID is at most 4294967294"},
		{"permcat-lock 1\ncatalog x\n99999999999999999999999 a.b\n", "permcat.lock:3:1: ID 99999999999999999999999 is too large"},
	} {
		_, errs := ParseLock("permcat.lock", []byte(c.lock))
		got := ""
		for _, e := range errs {
			got += e.Error() + "\n"
		}
		if c.want == "" && got != "" || c.want != "" && !strings.Contains(got, c.want) {
			t.Errorf("%q: got %q, want %q", c.lock, got, c.want)
		}
	}
}
