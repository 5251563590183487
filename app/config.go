// Package app is the web layer: it parses requests, authorises them, calls models and
// renders views. Domain rules live in models.
package app

import (
	"flag"
	"fmt"
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
	// LoginRate and LoginBurst limit sign-in attempts per client address.
	LoginRate  float64
	LoginBurst int
	// BodyLimit caps request bodies; ImportBodyLimit caps CSV uploads.
	BodyLimit       string
	ImportBodyLimit string
	// ShutdownTimeout is how long requests in flight may take to finish on SIGTERM.
	ShutdownTimeout time.Duration
	// SlowQuery, when set, logs each database statement slower than it, with its SQL.
	SlowQuery time.Duration
	// Workers runs the background jobs (outbox, deferred items, retention) in this process.
	Workers bool
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
		Workers:         true,
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
	fs.StringVar(&c.TimeZone, "time-zone", c.TimeZone, "IANA zone for days and reports (TIME_ZONE)")
}

// Check reports a configuration that cannot work.
func (c Config) Check() error {
	if _, err := time.LoadLocation(c.TimeZone); err != nil {
		return fmt.Errorf("TIME_ZONE: %w", err)
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

// Location returns the configured time zone.
func (c Config) Location() *time.Location {
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}
