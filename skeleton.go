package cors

import (
	"io"
	"log/slog"
	"net/http"
	"time"
)

// Temporary: the public API, so that the nested modules compile while the core lands.

type Options struct {
	AllowedOrigins                  []string                 `json:"allowed_origins"`
	AllowOriginFunc                 func(origin string) bool `json:"-"`
	AllowedMethods                  []string                 `json:"allowed_methods"`
	AllowedHeaders                  []string                 `json:"allowed_headers"`
	ExposedHeaders                  []string                 `json:"exposed_headers"`
	AllowCredentials                bool                     `json:"allow_credentials"`
	MaxAge                          time.Duration            `json:"max_age"`
	AllowPrivateNetwork             bool                     `json:"allow_private_network"`
	PreflightStatus                 int                      `json:"preflight_status"`
	DangerouslyAllowInsecureOrigins bool                     `json:"dangerously_allow_insecure_origins"`
	Logger                          *slog.Logger             `json:"-"`
}

type ConfigError struct{ Field, Value, Reason string }

func (e *ConfigError) Error() string { return "cors: " + e.Field + " " + e.Value + ": " + e.Reason }

type Cors struct{}

func New(Options) (*Cors, error)                                       { panic("core not landed yet") }
func MustNew(o Options) *Cors                                          { panic("core not landed yet") }
func LoadOptions(io.Reader) (Options, error)                           { panic("core not landed yet") }
func (*Cors) Handler(next http.Handler) http.Handler                   { panic("core not landed yet") }
func (*Cors) Apply(w http.ResponseWriter, r *http.Request) (done bool) { panic("core not landed yet") }
func (*Cors) OriginAllowed(origin string) bool                         { panic("core not landed yet") }
func (*Cors) Reconfigure(Options) error                                { panic("core not landed yet") }
func (*Cors) Options() Options                                         { panic("core not landed yet") }
