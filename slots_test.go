package cors

import (
	"cmp"
	"net/http"
	"runtime"
	"slices"
	"sync"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors/internal/header"
)

// span is the memory a header value slice may reach: from its first element to the end of its capacity.
type span struct {
	start, end uintptr
	what       string
}

func spansOf(h http.Header, what string) []span {
	var out []span
	for k, v := range h {
		if cap(v) == 0 {
			continue
		}
		start := uintptr(unsafe.Pointer(unsafe.SliceData(v)))
		out = append(out, span{start, start + uintptr(cap(v))*unsafe.Sizeof(""), what + " " + k})
	}
	return out
}

// requireDisjoint fails if two spans overlap: two header value slices, of one response or of two, that
// can reach the same string, so that editing or appending to one changes the other.
func requireDisjoint(t *testing.T, spans []span) {
	t.Helper()
	slices.SortFunc(spans, func(a, b span) int { return cmp.Compare(a.start, b.start) })
	for i := 1; i < len(spans); i++ {
		require.LessOrEqual(t, spans[i-1].end, spans[i].start, "%s and %s share a backing array", spans[i-1].what, spans[i].what)
	}
}

// sharingRequests are requests of every kind that gets headers written, under policies of every kind.
var sharingRequests = []struct {
	name string
	opts Options
	req  req
}{
	{"allowed actual", app, get("http://localhost:3000")},
	{"refused actual", app, get("https://evil.example")},
	{"no Origin", app, req{}},
	{"allowed preflight", app, preflight("http://localhost:3000", "PUT", "content-type")},
	{"reflecting preflight", Options{AllowedOrigins: []string{"https://a.example"}, AllowCredentials: true, AllowedHeaders: []string{"*"}}, preflight("https://a.example", "GET", "x-a", "x-b", "x-c")},
	{"star actual", Options{AllowedOrigins: []string{"*"}, ExposedHeaders: []string{"X-A"}}, get("https://a.example")},
	{"star preflight", public, preflight("https://a.example", "GET")},
}

// No two responses ever hold header value slices over the same memory: not one after the other, and
// not when served at once from many goroutines, across many chunks of slots.
func TestNoTwoResponsesShareABackingArray(t *testing.T) {
	// Every header is kept until the end, so that no memory is freed and reused under the spans.
	var keepMu sync.Mutex
	var keep []http.Header
	// One middleware per policy, which every goroutine serves through.
	cs := make([]*Cors, len(sharingRequests))
	for i, r := range sharingRequests {
		cs[i] = MustNew(r.opts)
	}
	serveAll := func(n int) []span {
		var spans []span
		for k, r := range sharingRequests {
			c := cs[k]
			for i := range n {
				w := newSink()
				c.Apply(w, r.req.build())
				spans = append(spans, spansOf(w.h, r.name+" #"+itoa(i+1))...)
				keepMu.Lock()
				keep = append(keep, w.h)
				keepMu.Unlock()
			}
		}
		return spans
	}
	defer runtime.KeepAlive(&keep)

	t.Run("sequential", func(t *testing.T) {
		spans := serveAll(2 * chunkSlots) // several chunks each
		require.Greater(t, len(spans), 3000)
		requireDisjoint(t, spans)
	})

	t.Run("concurrent", func(t *testing.T) {
		var mu sync.Mutex
		var spans []span
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s := serveAll(chunkSlots)
				mu.Lock()
				spans = append(spans, s...)
				mu.Unlock()
			}()
		}
		wg.Wait()
		require.Greater(t, len(spans), 8*1500)
		requireDisjoint(t, spans)
	})
}

// Slots are fresh: a take never returns a slot that an earlier take returned, and every slot is empty.
func TestSlotPoolNeverHandsOutASlotTwice(t *testing.T) {
	var p slotPool
	seen := map[*string]bool{}
	for i := range 10 * chunkSlots {
		n := 1 + i%7
		s := p.take(n)
		require.Len(t, s, n)
		require.Equal(t, n, cap(s), "capped, so that appending copies")
		for j := range s {
			assert.Empty(t, s[j])
			require.False(t, seen[&s[j]], "slot handed out twice")
			seen[&s[j]] = true
			s[j] = "written"
		}
	}
	assert.Len(t, p.take(chunkSlots+1), chunkSlots+1, "a take larger than a chunk gets a block of its own")
}

// slotSink keeps each benchmark's last slot reachable, so that the compiler cannot drop the work.
var slotSink []string

// BenchmarkSlots sets the slot source against the alternatives that keep slots unshared: "take" is
// slotPool.take(1), "pool_get_put" is the sync.Pool Get and Put that any per-processor design pays (the
// floor under take), and "alloc" allocates each response's slot on its own. (rs/cors pays nothing here:
// it hands every response the same slice.)
func BenchmarkSlots(b *testing.B) {
	b.Run("take", func(b *testing.B) {
		var p slotPool
		for b.Loop() {
			s := p.take(1)
			s[0] = header.Origin
			slotSink = s
		}
	})
	b.Run("pool_get_put", func(b *testing.B) {
		var p sync.Pool
		p.Put(new(chunk))
		for b.Loop() {
			p.Put(p.Get())
		}
	})
	b.Run("alloc", func(b *testing.B) {
		for b.Loop() {
			s := make([]string, 1)
			s[0] = header.Origin
			slotSink = s
		}
	})
}
