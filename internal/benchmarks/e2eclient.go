package benchmarks

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
)

// The end-to-end load generator. Clients and server share the process and
// its two cores, so whatever a client spends on a response is taken from
// the server being measured. Go's http.Client builds a header map for every
// response (canonical keys, a string per value), so with it as the load
// generator the CORS lines' cost was the server's and the client's together
// (docs/performance.md has the figures before and after). A load generator
// such as wrk reads the bytes instead, and so does rawConn: it sends a fixed
// request and reads each response as lines, checking the status, the body
// and the CORS lines the run expects, without allocating. (Warm still checks
// every server once through http.Client.)

// rawConn is one keep-alive HTTP/1.1 connection of the load generator.
type rawConn struct {
	conn   net.Conn
	br     *bufio.Reader
	req    []byte // the whole request, written as is every time
	body   []byte // the body every response must carry
	origin []byte // the Access-Control-Allow-Origin every response must carry, or nil for none
	buf    []byte // where the body is read to
}

// Bounds on a response, which the load generator treats as hostile like any
// parser here: a line longer than the reader's buffer, more header lines than
// maxRawLines or a body longer than maxRawBody is an error, not a wait.
const (
	rawBufSize  = 4096
	maxRawLines = 64
	maxRawBody  = 1 << 16
)

// dialRaw opens a connection to addr for the end-to-end request, whose
// responses must carry body and, if cors, the allowed origin's CORS lines.
func dialRaw(addr string, body []byte, cors bool) (*rawConn, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	c := &rawConn{
		conn: conn,
		br:   bufio.NewReaderSize(conn, rawBufSize),
		// newE2ERequest's request, as http.Client writes it.
		req: []byte("GET " + e2ePath + " HTTP/1.1\r\nHost: " + addr + "\r\nUser-Agent: Go-http-client/1.1\r\n" +
			"Accept: application/json\r\nOrigin: " + E2EOrigin() + "\r\n\r\n"),
		body: body,
		buf:  make([]byte, len(body)),
	}
	if cors {
		c.origin = []byte(E2EOrigin())
	}
	return c, nil
}

// roundTrip sends the request and reads the whole response. It waits no
// later than the connection's deadline.
func (c *rawConn) roundTrip() error {
	if _, err := c.conn.Write(c.req); err != nil {
		return err
	}
	return c.readResponse()
}

// What the load generator looks for in a response: the status line's
// start, the header names it reads (in lower case, for asciiEqualFold) and
// the values it wants.
var (
	http11OK        = []byte("HTTP/1.1 200 ")
	hdrContentLen   = []byte("content-length")
	hdrContentType  = []byte("content-type")
	hdrACAO         = []byte("access-control-allow-origin")
	hdrACAC         = []byte("access-control-allow-credentials")
	hdrTransferEnc  = []byte("transfer-encoding")
	hdrConnection   = []byte("connection")
	valJSON         = []byte("application/json")
	valTrue         = []byte("true")
	errRawMalformed = errors.New("malformed response")
)

// readResponse reads one response and checks it: status 200, a
// Content-Length and the expected body, Content-Type application/json,
// and exactly one Access-Control-Allow-Origin naming c.origin with
// Access-Control-Allow-Credentials: true, or none when c.origin is nil.
func (c *rawConn) readResponse() error {
	line, err := c.line()
	if err != nil {
		return err
	}
	if !bytes.HasPrefix(line, http11OK) {
		return fmt.Errorf("status line %.40q", line)
	}
	h, err := c.readHeader()
	if err != nil {
		return err
	}
	switch {
	case h.length != len(c.body):
		return fmt.Errorf("Content-Length %d, want %d", h.length, len(c.body))
	case !h.jsonType:
		return errors.New("no Content-Type: application/json")
	case c.origin != nil && (h.acao != 1 || !h.acac):
		return fmt.Errorf("%d ACAO lines and ACAC true %v, want one and true", h.acao, h.acac)
	}
	if _, err := io.ReadFull(c.br, c.buf); err != nil {
		return err
	}
	if !bytes.Equal(c.buf, c.body) {
		return fmt.Errorf("body %.60q", c.buf)
	}
	return nil
}

// rawHeader is what readHeader gathers from a response's header lines.
type rawHeader struct {
	length   int  // Content-Length, -1 for none
	acao     int  // Access-Control-Allow-Origin lines
	acac     bool // Access-Control-Allow-Credentials: true
	jsonType bool // Content-Type: application/json
}

// readHeader reads the header lines up to the empty line that ends them,
// at most maxRawLines, and gathers them into a rawHeader.
func (c *rawConn) readHeader() (rawHeader, error) {
	h := rawHeader{length: -1}
	for n := 0; ; n++ {
		if n == maxRawLines {
			return h, errors.New("more than 64 header lines")
		}
		line, err := c.line()
		if err != nil {
			return h, err
		}
		if len(line) == 0 {
			return h, nil
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return h, errRawMalformed
		}
		if err := c.readField(&h, name, bytes.TrimSpace(value)); err != nil {
			return h, err
		}
	}
}

// readField adds one header field to h, failing on a value the run does not
// expect: a second Content-Length or one out of bounds, an
// Access-Control-Allow-Origin other than c.origin (or any, when c.origin is
// nil), and any Transfer-Encoding or Connection line.
func (c *rawConn) readField(h *rawHeader, name, value []byte) error {
	switch {
	case asciiEqualFold(name, hdrContentLen):
		if h.length >= 0 {
			return errors.New("two Content-Length lines")
		}
		if h.length = parseLength(value); h.length < 0 {
			return fmt.Errorf("Content-Length %.20q", value)
		}
	case asciiEqualFold(name, hdrContentType):
		h.jsonType = bytes.Equal(value, valJSON)
	case asciiEqualFold(name, hdrACAO):
		h.acao++
		if c.origin == nil {
			return errors.New("the bare handler answered ACAO")
		}
		if !bytes.Equal(value, c.origin) {
			return fmt.Errorf("ACAO %.60q, want %q", value, c.origin)
		}
	case asciiEqualFold(name, hdrACAC):
		h.acac = bytes.Equal(value, valTrue)
	case asciiEqualFold(name, hdrTransferEnc), asciiEqualFold(name, hdrConnection):
		return fmt.Errorf("unexpected %s line", name) // chunked, or a connection the server closes
	}
	return nil
}

// line reads one line, without its CRLF; a line that does not fit in the
// reader's buffer is an error.
func (c *rawConn) line() ([]byte, error) {
	line, err := c.br.ReadSlice('\n')
	if err != nil {
		if errors.Is(err, bufio.ErrBufferFull) {
			return nil, errors.New("header line longer than 4 KiB")
		}
		return nil, err
	}
	line = line[:len(line)-1]
	if len(line) == 0 || line[len(line)-1] != '\r' {
		return nil, errRawMalformed
	}
	return line[:len(line)-1], nil
}

// close closes the connection.
func (c *rawConn) close() { _ = c.conn.Close() }

// parseLength parses a Content-Length of at most maxRawBody, or returns -1.
func parseLength(b []byte) int {
	if len(b) == 0 || len(b) > 6 {
		return -1
	}
	n := 0
	for _, d := range b {
		if d < '0' || d > '9' {
			return -1
		}
		n = n*10 + int(d-'0')
	}
	if n > maxRawBody {
		return -1
	}
	return n
}

// asciiEqualFold reports whether a equals lower, a lower-case ASCII name,
// ignoring ASCII case.
func asciiEqualFold(a, lower []byte) bool {
	if len(a) != len(lower) {
		return false
	}
	for i, c := range a {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}
