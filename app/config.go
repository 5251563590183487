// Package app is the web layer: it parses requests, authorises them, calls models and
// renders views. Domain rules live in models.
package app

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/improvementtracker/tracker/models"
)

// Config is the whole runtime configuration, read once at start and passed explicitly.
type Config struct {
	Addr         string
	DatabaseURL  string
	BaseURL      string
	SMTPURL      string
	CookieSecure bool
	TimeZone     string
	// LoginRate and LoginBurst limit failed sign-in attempts per client address.
	LoginRate  float64
	LoginBurst int
	// TrustedProxies are comma-separated CIDRs of the reverse proxies or load balancers
	// in front of the app, whose X-Forwarded-For gives the client address.
	TrustedProxies string
	// BodyLimit caps request bodies; ImportBodyLimit caps CSV uploads.
	BodyLimit       string
	ImportBodyLimit string
	// ShutdownTimeout is how long requests in flight may take to finish on SIGTERM.
	ShutdownTimeout time.Duration
	// SlowQuery, when set, logs each database statement slower than it, with its SQL.
	SlowQuery time.Duration
	// FiguresLag is how long the kept figures (dashboard, reports, board, badges) may
	// miss other people's writes; a user's own writes always show at once (FIGURES_LAG).
	FiguresLag time.Duration
	// Workers runs the background jobs (outbox, deferred items, retention) in this process.
	Workers bool
	// OIDCIssuer, OIDCClientID and OIDCClientSecret configure single sign-on through the
	// company's OpenID Connect provider; it is off while OIDCIssuer is empty.
	OIDCIssuer       string
	OIDCClientID     string
	OIDCClientSecret string
	// OIDCRolesClaim names the ID token claim whose values map to roles (models.MapRoles);
	// a dotted path reaches into nested claims ("realm_access.roles").
	OIDCRolesClaim string
	// OIDCName is the provider's name on the sign-in button ("Sign in with Contoso ID").
	OIDCName string
	// MetricsAllow lists the networks (CIDRs) whose requests may read /metrics.
	MetricsAllow []*net.IPNet
	// LogFormat is "text" (the default) or "json".
	LogFormat string
	// WebhookURLs receive every webhook event (WEBHOOK_URL, comma-separated); an admin
	// may add more, each with its own events. WebhookSecret signs them ("whsec_" + base64).
	WebhookURLs   []string
	WebhookSecret string
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{
		Addr:            ":8080",
		DatabaseURL:     "sqlite:data/tracker.db",
		BaseURL:         "http://localhost:8080",
		TimeZone:        "Europe/Copenhagen",
		LoginRate:       10.0 / 60, // ten attempts a minute once the burst is used
		LoginBurst:      5,
		BodyLimit:       "1M",
		ImportBodyLimit: "100M",
		ShutdownTimeout: 20 * time.Second,
		FiguresLag:      time.Second,
		Workers:         true,
		OIDCRolesClaim:  "roles",
		LogFormat:       "text",
	}
}

// ConfigFromEnv reads the environment over the defaults.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	c := DefaultConfig()
	str := func(dst *string, key string) {
		if v := getenv(key); v != "" {
			*dst = v
		}
	}
	str(&c.Addr, "ADDR")
	str(&c.DatabaseURL, "DATABASE_URL")
	str(&c.BaseURL, "BASE_URL")
	str(&c.SMTPURL, "SMTP_URL")
	str(&c.TimeZone, "TIME_ZONE")
	str(&c.TrustedProxies, "TRUSTED_PROXIES")
	str(&c.OIDCIssuer, "OIDC_ISSUER")
	str(&c.OIDCClientID, "OIDC_CLIENT_ID")
	str(&c.OIDCClientSecret, "OIDC_CLIENT_SECRET")
	str(&c.OIDCRolesClaim, "OIDC_ROLES_CLAIM")
	str(&c.OIDCName, "OIDC_NAME")
	str(&c.LogFormat, "LOG_FORMAT")
	if v := getenv("METRICS_ALLOW"); v != "" {
		nets, err := ParseCIDRs(v)
		if err != nil {
			return c, fmt.Errorf("METRICS_ALLOW: %w", err)
		}
		c.MetricsAllow = nets
	}
	for _, u := range strings.Split(getenv("WEBHOOK_URL"), ",") {
		if u = strings.TrimSpace(u); u != "" {
			c.WebhookURLs = append(c.WebhookURLs, u)
		}
	}
	str(&c.WebhookSecret, "WEBHOOK_SECRET")
	if v := getenv("SLOW_QUERY"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			return c, fmt.Errorf("SLOW_QUERY: %w", err)
		}
		c.SlowQuery = d
	}
	if v := getenv("FIGURES_LAG"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return c, fmt.Errorf("FIGURES_LAG: want a duration such as 1s, got %q", v)
		}
		c.FiguresLag = d
	}
	if v := getenv("COOKIE_SECURE"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return c, fmt.Errorf("COOKIE_SECURE: %w", err)
		}
		c.CookieSecure = b
	}
	return c, nil
}

// RegisterFlags lets command-line flags override the environment.
func (c *Config) RegisterFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.Addr, "addr", c.Addr, "listen address (ADDR)")
	fs.StringVar(&c.DatabaseURL, "database-url", c.DatabaseURL, "sqlite:PATH or postgres://... (DATABASE_URL)")
	fs.StringVar(&c.BaseURL, "base-url", c.BaseURL, "public address used in e-mails (BASE_URL)")
	fs.StringVar(&c.SMTPURL, "smtp-url", c.SMTPURL, "smtp://user:pass@host:port (SMTP_URL)")
	fs.BoolVar(&c.CookieSecure, "cookie-secure", c.CookieSecure, "mark cookies Secure (COOKIE_SECURE)")
	fs.DurationVar(&c.SlowQuery, "slow-query", c.SlowQuery, "log database statements slower than this, e.g. 20ms (SLOW_QUERY)")
	fs.DurationVar(&c.FiguresLag, "figures-lag", c.FiguresLag, "how long kept figures may miss other people's writes (FIGURES_LAG)")
	fs.StringVar(&c.TimeZone, "time-zone", c.TimeZone, "IANA zone for days and reports (TIME_ZONE)")
	fs.StringVar(&c.TrustedProxies, "trusted-proxies", c.TrustedProxies, "comma-separated CIDRs whose X-Forwarded-For gives the client address (TRUSTED_PROXIES)")
}

// Check reports a configuration that cannot work.
func (c Config) Check() error {
	if _, err := time.LoadLocation(c.TimeZone); err != nil {
		return fmt.Errorf("TIME_ZONE: %w", err)
	}
	if _, err := ParseCIDRs(c.TrustedProxies); err != nil {
		return fmt.Errorf("TRUSTED_PROXIES: %w", err)
	}
	if c.OIDCIssuer != "" && (c.OIDCClientID == "" || c.OIDCClientSecret == "") {
		return fmt.Errorf("OIDC_ISSUER is set: OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are needed too")
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("LOG_FORMAT: %q is neither text nor json", c.LogFormat)
	}
	for _, u := range c.WebhookURLs {
		if !models.ValidWebhookURL(u) {
			return fmt.Errorf("WEBHOOK_URL: %q is not an http(s) URL", u)
		}
	}
	if len(c.WebhookURLs) > 0 || c.WebhookSecret != "" {
		if _, err := models.WebhookKey(c.WebhookSecret); err != nil {
			return fmt.Errorf("WEBHOOK_SECRET: %w", err)
		}
	}
	return nil
}

// ParseCIDRs reads a comma-separated list of networks; a bare address is a network of
// that one address.
func ParseCIDRs(s string) ([]*net.IPNet, error) {
	var out []*net.IPNet
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if !strings.Contains(part, "/") {
			ip := net.ParseIP(part)
			if ip == nil {
				return nil, fmt.Errorf("%q is not an address or CIDR", part)
			}
			bits := 128
			if ip.To4() != nil {
				ip, bits = ip.To4(), 32
			}
			out = append(out, &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)})
			continue
		}
		_, n, err := net.ParseCIDR(part)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

// NewLogger builds the process's logger: human-readable lines, or one JSON object a
// line (LOG_FORMAT=json) for a log collector.
func NewLogger(w io.Writer, format string) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

// Location returns the configured time zone.
func (c Config) Location() *time.Location {
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}
