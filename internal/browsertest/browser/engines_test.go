package browser

import (
	"fmt"
	"os/exec"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWithoutTheBrowserTheTestsFailWithTheInstallCommand(t *testing.T) {
	missing := fmt.Errorf("firefox is not installed: %w", exec.ErrNotFound)
	ff, ok := Lookup(Firefox)
	require.True(t, ok)
	for _, tc := range []struct {
		name       string
		skipEnvSet bool
		err        error
		wantSkip   bool
		wantIn     []string
	}{
		{name: "browser running: nothing to say"},
		{name: "browser missing: fail with the install command", err: missing,
			wantIn: []string{"apt-get install -y --no-install-recommends firefox-esr", "executable file not found", SkipEnv + "=1", BrowsersEnv}},
		{name: "told to skip: skip, saying what is skipped", skipEnvSet: true, wantSkip: true,
			wantIn: []string{SkipEnv + "=1", "skipped", "firefox-esr"}},
		{name: "told to skip wins over a missing browser", skipEnvSet: true, err: missing, wantSkip: true,
			wantIn: []string{"skipped"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			skip, msg := Unavailable(ff, tc.skipEnvSet, tc.err)
			assert.Equal(t, tc.wantSkip, skip)
			if tc.wantIn == nil {
				assert.Empty(t, msg)
			}
			for _, s := range tc.wantIn {
				assert.Contains(t, msg, s)
			}
		})
	}
}

func TestEveryEngineSaysHowToInstallIt(t *testing.T) {
	assert.Equal(t, []string{Chromium, Firefox, WebKit}, Names(), "the order engines run in")
	for _, e := range engines {
		assert.Contains(t, e.Install, "apt-get install -y --no-install-recommends "+e.Package, e.Name)
		assert.NotEmpty(t, e.NetworkError, e.Name)
		assert.NotEmpty(t, e.Binaries, e.Name)
	}
	_, ok := Lookup("safari")
	assert.False(t, ok)
}

func TestCORSBrowsersSelectsEngines(t *testing.T) {
	for _, tc := range []struct {
		value   string
		want    []string
		wantErr string
	}{
		{value: "", want: []string{Chromium, Firefox, WebKit}},
		{value: "  ", want: []string{Chromium, Firefox, WebKit}},
		{value: "firefox", want: []string{Firefox}},
		{value: "chromium,webkit", want: []string{Chromium, WebKit}},
		{value: "webkit,chromium", want: []string{Chromium, WebKit}},
		{value: " WebKit , firefox,", want: []string{Firefox, WebKit}},
		{value: "firefox,firefox", want: []string{Firefox}},
		{value: "safari", wantErr: `unknown engine "safari"`},
		{value: "chromium,gecko", wantErr: `unknown engine "gecko"`},
		{value: ",", wantErr: "names no engine"},
	} {
		t.Run(fmt.Sprintf("%q", tc.value), func(t *testing.T) {
			got, err := Selected(tc.value)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				assert.Contains(t, err.Error(), BrowsersEnv)
				return
			}
			require.NoError(t, err)
			var names []string
			for _, e := range got {
				names = append(names, e.Name)
			}
			assert.Equal(t, tc.want, names)
		})
	}
}

func TestSkipEnvSkipsWithoutStartingABrowser(t *testing.T) {
	t.Setenv(SkipEnv, "1")
	ff, _ := Lookup(Firefox)
	var started *Browser
	ok := t.Run("needs a browser", func(t *testing.T) {
		started = Need(t, ff, Config{})
		t.Error("Need returned instead of skipping")
	})
	assert.True(t, ok, "a skipped subtest does not fail")
	assert.Nil(t, started, "no browser is started when told to skip")
}

func TestForEachSkipsEveryEngineWhenToldWithoutStartingOne(t *testing.T) {
	t.Setenv(SkipEnv, "1")
	t.Setenv(BrowsersEnv, "")
	ran := 0
	ok := t.Run("suite", func(t *testing.T) {
		ForEach(t, Config{}, func(t *testing.T, b *Browser) { ran++ })
	})
	assert.True(t, ok, "skipped engines do not fail")
	assert.Zero(t, ran, "no engine's cases run")
}
