package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"

	"github.com/crossorigin/cors/internal/call"
	"github.com/crossorigin/cors/internal/header"
)

// callJSON is one call of a -calls file as written (docs/corscheck.md documents the format).
type callJSON struct {
	Name        string            `json:"name"`
	Origin      string            `json:"origin"`
	Method      string            `json:"method"`
	URL         string            `json:"url"`
	Headers     map[string]string `json:"headers"`
	Credentials string            `json:"credentials"`
	Expect      string            `json:"expect"`
	Read        []string          `json:"read"`
	Cookies     map[string]string `json:"cookies"`
}

// callKeys are callJSON's keys, read from its tags so that the two cannot drift apart.
var callKeys = func() []string {
	t := reflect.TypeFor[callJSON]()
	keys := make([]string, t.NumField())
	for i := range keys {
		keys[i] = t.Field(i).Tag.Get("json")
	}
	return keys
}()

// callKeyWants says what each key of a call holds, for a value of the wrong JSON type.
var callKeyWants = map[string]string{
	"headers": `an object of header names to values, e.g. {"Content-Type": "application/json"}`,
	"read":    `a list of response header names, e.g. ["X-Total-Count"]`,
	"cookies": `an object of cookie names to values, e.g. {"session": "abc123"}`,
}

// The two verdicts a call may expect.
const (
	expectAllowed = "allowed"
	expectBlocked = "blocked"
)

// contractCall is one call of a -calls file, checked: the call made and what the browser must
// decide.
type contractCall struct {
	name   string
	call   call.Call // its URL as written: a path is resolved against the target when judged
	expect string    // expectAllowed or expectBlocked
	read   []string  // the response headers an allowed call must let the page read, as written
}

// maxCallsBytes bounds what -calls reads, as cors.LoadOptions bounds a policy file: a contract lists
// calls, a few kilobytes.
const maxCallsBytes = 1 << 20

// maxCallsErrors bounds how many problems a refused file reports: the first ones are what to fix.
const maxCallsErrors = 20

// readCalls reads and checks a -calls file from r, named name in messages. Every problem of the file is
// reported at once (up to maxCallsErrors), before any call is made.
func readCalls(name string, r io.Reader) ([]contractCall, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxCallsBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(data) > maxCallsBytes {
		return nil, fmt.Errorf("%s: larger than %d bytes (1 MiB): a contract file lists calls, a few kilobytes", name, maxCallsBytes)
	}
	raws, err := callList(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var errs []error
	calls := make([]contractCall, 0, len(raws))
	seen := map[string]int{}
	for i, raw := range raws {
		c, problems := parseCall(raw)
		if first, dup := seen[c.name]; dup {
			problems = append(problems, fmt.Errorf(`"name" is the name of call %d too: give each call its own, so that a failure names one call`, first))
		} else if c.name != "" {
			seen[c.name] = i + 1
		}
		label := fmt.Sprintf("call %d", i+1)
		if c.name != "" {
			label += fmt.Sprintf(" (%q)", c.name)
		}
		for _, p := range problems {
			errs = append(errs, fmt.Errorf("%s: %s: %w", name, label, p))
		}
		if len(problems) == 0 {
			calls = append(calls, c)
		}
	}
	if len(errs) > maxCallsErrors {
		errs = append(errs[:maxCallsErrors], fmt.Errorf("%s: and %d more problems", name, len(errs)-maxCallsErrors))
	}
	return calls, errors.Join(errs...)
}

// callList decodes the file's one object, {"calls": [...]}, strictly, and returns its calls undecoded.
func callList(data []byte) ([]json.RawMessage, error) {
	var top map[string]json.RawMessage
	if err := decodeOne(data, &top); err != nil {
		return nil, err
	}
	if top == nil {
		return nil, errors.New(`the file is not a JSON object: write {"calls": [{"name": ..., "origin": ..., "url": ..., "expect": ...}]}`)
	}
	if k := repeatedKey(data, 1); k != "" {
		return nil, fmt.Errorf(`the key %q appears twice: JSON decoders keep the last one and drop the other silently`, k)
	}
	for _, k := range sortedKeys(top) {
		if k != "calls" {
			return nil, fmt.Errorf(`unknown key %q: the file holds one key, "calls"`, k)
		}
	}
	raw, ok := top["calls"]
	if !ok {
		return nil, errors.New(`no "calls": write {"calls": [{"name": ..., "origin": ..., "url": ..., "expect": ...}]}`)
	}
	var calls []json.RawMessage
	if err := json.Unmarshal(raw, &calls); err != nil {
		return nil, errors.New(`"calls" must be a list of calls: [{"name": ..., "origin": ..., "url": ..., "expect": ...}]`)
	}
	if len(calls) == 0 {
		return nil, errors.New(`"calls" is empty: list at least one call`)
	}
	return calls, nil
}

// decodeOne decodes data, which must hold one JSON value and nothing after it, into v; a syntax or
// type error says where it is, as line:column.
func decodeOne(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	err := dec.Decode(v)
	if err == nil {
		if _, after := dec.Token(); after != io.EOF {
			return fmt.Errorf("%s: something follows the JSON object", position(data, dec.InputOffset()))
		}
		return nil
	}
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		// Offset counts the bytes read, the offending one included.
		return fmt.Errorf("%s: %w", position(data, syntax.Offset-1), err)
	case errors.As(err, &typ):
		return fmt.Errorf(`%s: the file is not a JSON object: write {"calls": [...]}`, position(data, typ.Offset))
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New(`the file ends before its JSON object does: write {"calls": [...]}`)
	}
	return err
}

// position is the line and column (both from 1) of the byte at offset in data.
func position(data []byte, offset int64) string {
	offset = min(max(offset, 0), int64(len(data)))
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := len(before) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return fmt.Sprintf("line %d, column %d", line, col)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// parseCall decodes and checks one call, and returns it with every problem found; the name comes back
// with the problems, to label them.
func parseCall(raw json.RawMessage) (contractCall, []error) {
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(raw, &keys); err != nil || keys == nil {
		return contractCall{}, []error{errors.New(`a call is a JSON object: {"name": ..., "origin": ..., "url": ..., "expect": ...}`)}
	}
	var errs []error
	for _, k := range sortedKeys(keys) {
		if !slices.Contains(callKeys, k) {
			errs = append(errs, unknownKey(k))
		}
	}
	if k := repeatedKey(raw, 2); k != "" { // the call's keys, and those of its headers and cookies
		errs = append(errs, fmt.Errorf(`the key %q appears twice: JSON decoders keep the last one and drop the other silently`, k))
	}
	if len(errs) > 0 {
		return contractCall{name: nameOf(keys)}, errs
	}
	var j callJSON
	if err := json.Unmarshal(raw, &j); err != nil {
		return contractCall{name: nameOf(keys)}, []error{typeError(err)}
	}
	return j.check()
}

// repeatedKey returns the first key that an object of the JSON value data, known to be valid, holds
// twice, looking maxDepth objects deep (1: the value's own keys), or "".
func repeatedKey(data []byte, maxDepth int) string {
	type object struct {
		seen     map[string]bool
		awaitKey bool // the next string is a key
	}
	var stack []*object // one entry per open object or array (nil for an array)
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		var top *object
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &object{seen: map[string]bool{}, awaitKey: true})
			continue
		case json.Delim('['):
			stack = append(stack, nil)
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			if len(stack) > 0 && stack[len(stack)-1] != nil {
				stack[len(stack)-1].awaitKey = true
			}
			continue
		}
		if k, ok := tok.(string); ok && top != nil && top.awaitKey {
			if top.seen[k] && len(stack) <= maxDepth {
				return k
			}
			top.seen[k], top.awaitKey = true, false
		} else if top != nil {
			top.awaitKey = true // a value that is not an object or array ends its member
		}
	}
}

// nameOf is the call's name, if it has one that is a string, for the label of its errors.
func nameOf(keys map[string]json.RawMessage) string {
	var name string
	_ = json.Unmarshal(keys["name"], &name)
	return name
}

// unknownKey refuses a key no call has, suggesting the one it may mean: the same in another case, or
// one that starts the other ("expected", "header").
func unknownKey(k string) error {
	lower := header.Lower(k)
	for _, known := range callKeys {
		if lower == known || (len(lower) >= 3 && (strings.HasPrefix(lower, known) || strings.HasPrefix(known, lower))) {
			return fmt.Errorf("unknown key %q: did you mean %q?", k, known)
		}
	}
	return fmt.Errorf("unknown key %q: a call's keys are %s", k, strings.Join(callKeys, ", "))
}

// typeError words a value of the wrong JSON type in the file's terms.
func typeError(err error) error {
	var typ *json.UnmarshalTypeError
	if !errors.As(err, &typ) || typ.Field == "" {
		return fmt.Errorf("not a valid call: %w", err)
	}
	key, _, _ := strings.Cut(typ.Field, ".")
	want, ok := callKeyWants[key]
	if !ok {
		want = "a string"
	}
	return fmt.Errorf("%q must be %s, not a JSON %s", key, want, typ.Value)
}
