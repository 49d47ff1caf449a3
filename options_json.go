package cors

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
)

// optionsJSON is the JSON form of Options.
type optionsJSON struct {
	AllowedOrigins                  []string `json:"allowed_origins"`
	AllowedMethods                  []string `json:"allowed_methods"`
	AllowedHeaders                  []string `json:"allowed_headers"`
	ExposedHeaders                  []string `json:"exposed_headers"`
	AllowCredentials                bool     `json:"allow_credentials"`
	MaxAge                          maxAge   `json:"max_age"`
	AllowPrivateNetwork             bool     `json:"allow_private_network"`
	PreflightStatus                 int      `json:"preflight_status"`
	DangerouslyAllowInsecureOrigins bool     `json:"dangerously_allow_insecure_origins"`
	CrossOriginProtection           bool     `json:"cross_origin_protection"`
	TimingAllowOrigin               bool     `json:"timing_allow_origin"`
}

// jsonKeys are optionsJSON's keys, read from its tags so that the two cannot drift apart.
var jsonKeys = func() []string {
	t := reflect.TypeFor[optionsJSON]()
	keys := make([]string, t.NumField())
	for i := range keys {
		keys[i] = t.Field(i).Tag.Get("json")
	}
	return keys
}()

// maxAge decodes a duration string ("2h", "90s") or a whole number of seconds.
type maxAge time.Duration

func (m *maxAge) UnmarshalJSON(data []byte) error {
	if len(data) > 0 && data[0] == '"' {
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		d, err := time.ParseDuration(s)
		if err != nil {
			return &ConfigError{Field: "max_age", Value: s, Reason: `write a duration such as "2h", "10m" or "90s", or a number of seconds`}
		}
		*m = maxAge(d)
		return nil
	}
	var n float64
	if err := json.Unmarshal(data, &n); err != nil {
		return &ConfigError{Field: "max_age", Value: string(data), Reason: `write a duration such as "2h", or a number of seconds`}
	}
	if n != math.Trunc(n) || math.Abs(n) > float64(math.MaxInt64/int64(time.Second)) {
		return &ConfigError{Field: "max_age", Value: string(data), Reason: "write a whole number of seconds, such as 7200"}
	}
	*m = maxAge(time.Duration(n) * time.Second)
	return nil
}

func (j *optionsJSON) options() Options {
	return Options{
		AllowedOrigins:                  j.AllowedOrigins,
		AllowedMethods:                  j.AllowedMethods,
		AllowedHeaders:                  j.AllowedHeaders,
		ExposedHeaders:                  j.ExposedHeaders,
		AllowCredentials:                j.AllowCredentials,
		MaxAge:                          time.Duration(j.MaxAge),
		AllowPrivateNetwork:             j.AllowPrivateNetwork,
		PreflightStatus:                 j.PreflightStatus,
		DangerouslyAllowInsecureOrigins: j.DangerouslyAllowInsecureOrigins,
		CrossOriginProtection:           j.CrossOriginProtection,
		TimingAllowOrigin:               j.TimingAllowOrigin,
	}
}

// UnmarshalJSON decodes the JSON form of Options, as encoding/json does for any struct: keys match
// case-insensitively and unknown keys are ignored. AllowOriginFunc and Logger keep their values.
// Use LoadOptions to reject unknown keys.
func (o *Options) UnmarshalJSON(data []byte) error {
	var j optionsJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return jsonError(err)
	}
	fn, logger := o.AllowOriginFunc, o.Logger
	*o = j.options()
	o.AllowOriginFunc, o.Logger = fn, logger
	return nil
}

// MarshalJSON encodes Options with the keys UnmarshalJSON reads, MaxAge as a duration string.
func (o Options) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		optionsJSON
		MaxAge string `json:"max_age,omitempty"`
	}{optionsJSON: optionsJSON{
		AllowedOrigins:                  o.AllowedOrigins,
		AllowedMethods:                  o.AllowedMethods,
		AllowedHeaders:                  o.AllowedHeaders,
		ExposedHeaders:                  o.ExposedHeaders,
		AllowCredentials:                o.AllowCredentials,
		AllowPrivateNetwork:             o.AllowPrivateNetwork,
		PreflightStatus:                 o.PreflightStatus,
		DangerouslyAllowInsecureOrigins: o.DangerouslyAllowInsecureOrigins,
		CrossOriginProtection:           o.CrossOriginProtection,
		TimingAllowOrigin:               o.TimingAllowOrigin,
	}, MaxAge: maxAgeString(o.MaxAge)})
}

func maxAgeString(d time.Duration) string {
	if d == 0 {
		return ""
	}
	return d.String()
}

// maxConfigBytes bounds what LoadOptions reads: a CORS policy is a few kilobytes at most.
const maxConfigBytes = 1 << 20

// LoadOptions decodes Options from a JSON object, strictly: every key must be one of Options' JSON keys
// (spelled exactly), values must have the right types, and nothing may follow the object. It reports
// every unknown key at once, each as a *ConfigError that suggests the key probably meant. The result
// still has to go through New, which validates the values.
//
//	{
//	  "allowed_origins": ["https://app.example.com", "https://*.example.com"],
//	  "allowed_methods": ["GET", "POST", "PUT"],
//	  "allowed_headers": ["Content-Type", "Authorization"],
//	  "allow_credentials": true,
//	  "max_age": "2h"
//	}
func LoadOptions(r io.Reader) (Options, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxConfigBytes+1))
	if err != nil {
		return Options{}, fmt.Errorf("cors: reading options: %w", err)
	}
	if len(data) > maxConfigBytes {
		return Options{}, fmt.Errorf("cors: options larger than %d bytes", maxConfigBytes)
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(data, &keys); err != nil {
		return Options{}, jsonError(err)
	}
	var errs []error
	for _, k := range sortedKeys(keys) {
		if !slices.Contains(jsonKeys, k) {
			reason := "not an option; the options are " + strings.Join(jsonKeys, ", ")
			if s := closestKey(k); s != "" {
				reason = "not an option: did you mean " + strconv.Quote(s) + "?"
			}
			errs = append(errs, &ConfigError{Field: k, Reason: reason})
		}
	}
	if len(errs) > 0 {
		return Options{}, errors.Join(errs...)
	}
	var j optionsJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&j); err != nil {
		return Options{}, jsonError(err)
	}
	return j.options(), nil
}

// jsonError turns a decoding error into a *ConfigError where it names a field.
func jsonError(err error) error {
	var ce *ConfigError
	if errors.As(err, &ce) {
		return ce
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		want := "a " + te.Type.Kind().String()
		switch te.Type.Kind().String() {
		case "slice":
			want = `a list of strings, e.g. ["value"]`
		case "bool":
			want = "true or false"
		case "int":
			want = "a whole number"
		}
		return &ConfigError{Field: te.Field, Value: te.Value, Reason: "expects " + want}
	}
	return fmt.Errorf("cors: options are not a valid JSON object: %w", err)
}

func sortedKeys(m map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// closestKey returns the JSON key within edit distance 3 of k (case-insensitively), if any.
func closestKey(k string) string {
	best, bestDist := "", 4
	for _, c := range jsonKeys {
		if d := editDistance(strings.ToLower(k), c); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return math.MaxInt
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
