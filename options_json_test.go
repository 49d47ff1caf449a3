package cors_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crossorigin/cors"
)

// FuzzLoadOptions: LoadOptions never panics; options that load and that New accepts are already in
// normal form once New has normalized them (Options() round-trips through New unchanged); New's error is
// made only of *ConfigError values.
func FuzzLoadOptions(f *testing.F) {
	for _, seed := range []string{
		`{}`,
		`{"allowed_origins":["http://localhost:3000"]}`,
		`{"allowed_origins":["HTTPS://Bücher.Example:443","http://localhost:*"],"allow_credentials":true}`,
		`{"allowed_origins":["https://*.example.com:*"],"allowed_methods":["get","PATCH","*"],"allowed_headers":["X-Foo","*"],"exposed_headers":["X-Bar"],"max_age":"2h"}`,
		`{"allowed_origins":["*"],"allowed_headers":["*","Authorization"],"max_age":7200,"preflight_status":200}`,
		`{"allowed_origins":["http://app.example.com"],"allow_credentials":true,"dangerously_allow_insecure_origins":true}`,
		`{"allowed_origins":["https://example.com"],"allow_private_network":true,"max_age":-1}`,
		`{"allowed_origins":["*"],"allow_credentials":true}`,
		`{"allowed_origins":["null"],"max_age":"25h","preflight_status":302}`,
		`{"allowed_origins":["https://example.com"],"unknown":1}`,
		`{"allowed_origins":"https://example.com"}`,
		`{"max_age":"1.5h","allowed_origins":["http://[::1]:8080"]}`,
		`{"max_age":1e400}`,
		`[]`,
		`{"allowed_origins":["https://example.com"]}{"allowed_origins":["https://evil.com"]}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var opts cors.Options
		var err error
		require.NotPanics(t, func() { opts, err = cors.LoadOptions(bytes.NewReader(data)) })
		if err != nil {
			return
		}
		c, err := cors.New(opts)
		if err != nil {
			requireOnlyConfigErrors(t, err)
			return
		}
		normalized := c.Options()
		again, err := cors.New(normalized)
		require.NoError(t, err, "New refused its own normalized options %+v", normalized)
		require.Equal(t, normalized, again.Options(), "normalization is not idempotent for %s", data)

		// What Options() shows can be saved as JSON and loaded back to the same policy.
		saved, err := json.Marshal(normalized)
		require.NoError(t, err)
		loaded, err := cors.LoadOptions(bytes.NewReader(saved))
		require.NoError(t, err, "LoadOptions refused what MarshalJSON wrote: %s", saved)
		reloaded, err := cors.New(loaded)
		require.NoError(t, err, "New refused the saved options %s", saved)
		require.Equal(t, normalized, reloaded.Options(), "saving and loading %s changed the policy", saved)
	})
}

// requireOnlyConfigErrors checks that err is a *ConfigError or a join of them, each with a field and a
// reason.
func requireOnlyConfigErrors(t *testing.T, err error) {
	t.Helper()
	leaves := configErrorLeaves(err)
	require.NotEmpty(t, leaves)
	for _, leaf := range leaves {
		var ce *cors.ConfigError
		require.True(t, errors.As(leaf, &ce), "%T is not a *ConfigError: %v", leaf, leaf)
		require.NotEmpty(t, ce.Field, "%v", leaf)
		require.NotEmpty(t, ce.Reason, "%v", leaf)
	}
}

// configErrorLeaves flattens errors.Join trees.
func configErrorLeaves(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, configErrorLeaves(e)...)
		}
		return out
	}
	return []error{err}
}
