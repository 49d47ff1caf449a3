package cors

import (
	"sync"
	"unsafe"
)

// slotPool hands out the string slots that response header values are written into, without an
// allocation per request and without ever sharing a slot.
//
// net/http keeps a header's values in a []string that the handler may edit in place, so a value slice
// that two responses share would let one handler's edit reach the other response (rs/cors shares them;
// we never do). Every response therefore gets slots of its own. Instead of allocating them per
// request, they are cut from chunks of chunkSlots strings: each take cuts the next slots off the front of
// a chunk, and a slot once handed out is never handed out again, nor written by this package after the
// response's headers are set. A used-up chunk is dropped, and the garbage collector frees it once no
// response refers to any of its slots.
//
// The price is memory held a little longer: a chunk stays alive while any response header slice cut from
// it does. Code that keeps a response's CORS header slices beyond the request (a cache storing the header
// map itself rather than a Header.Clone, which copies) keeps up to 4 KiB alive per kept slice.
//
// The chunks sit in a sync.Pool, which keeps one per processor without a lock on its fast path: a
// request takes the chunk of the processor it runs on and puts it back, so concurrent requests never
// contend on a shared counter. A chunk is held by one request at a time.
type slotPool struct {
	chunks sync.Pool
}

// chunk is the unused rest of one block of slots. Each processor's request path writes its own chunk's
// free on every take, so a chunk fills a cache line of its own: two chunks allocated side by side would
// otherwise make the processors invalidate each other's line on every request (false sharing).
type chunk struct {
	free []string
	_    [cacheLine - unsafe.Sizeof([]string(nil))]byte
}

// cacheLine is at least the cache line size of the processors Go runs on (128 bytes covers the adjacent-
// line prefetch of x86 and the 128-byte lines of some arm64 parts).
const cacheLine = 128

// chunkSlots is the size of a chunk: at most 5 slots for an actual response and 7 for a preflight
// (6 and one per name when the requested headers are reflected), so a chunk of 4 KiB serves dozens of
// responses and the allocation is amortised to nothing per request.
const chunkSlots = 256

// take returns n fresh slots, n > 0, that nothing else holds.
func (p *slotPool) take(n int) []string {
	c, _ := p.chunks.Get().(*chunk)
	if c == nil {
		c = new(chunk)
	}
	if len(c.free) < n {
		c.free = make([]string, max(chunkSlots, n))
	}
	s := c.free[:n:n]
	c.free = c.free[n:]
	p.chunks.Put(c)
	return s
}
