package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/wneessen/go-mail"

	"github.com/improvementtracker/tracker/models"
)

// Mailer delivers one e-mail.
type Mailer interface {
	Send(ctx context.Context, to, subject, body string) error
}

// logMailer writes mail to the log: without SMTP_URL an installation still works, and
// an operator can see what would have been sent.
type logMailer struct{ log *slog.Logger }

// Send logs that a message would have gone out, and nothing of it that names the
// customer: a log is copied, shipped and kept far longer than the database, and an
// erased customer must be gone from it too. The address is reduced to its domain, the
// body to its length.
func (m logMailer) Send(ctx context.Context, to, subject, body string) error {
	m.log.InfoContext(ctx, "mail (no SMTP_URL set, not sent)", "to", redactAddress(to),
		"subject_bytes", len(subject), "body_bytes", len(body))
	return nil
}

// redactAddress keeps only the domain of an address, for logs: "***@example.com".
func redactAddress(addr string) string {
	if _, domain, ok := strings.Cut(addr, "@"); ok {
		return "***@" + domain
	}
	return "***"
}

// redactError removes an address from an error before it is logged or stored: SMTP
// servers and clients quote the recipient in their errors.
func redactError(err error, addr string) error {
	if err == nil || addr == "" || !strings.Contains(err.Error(), addr) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), addr, redactAddress(addr)))
}

// smtpMailer sends through the server of SMTP_URL with go-mail.
type smtpMailer struct {
	host, from, user, pass string
	port                   int
	ssl                    bool
}

// newSMTPMailer reads smtp://user:pass@host:port (smtps:// for TLS from the start). The
// sender is the "from" query parameter, else noreply@ the host of BASE_URL.
func newSMTPMailer(smtpURL, baseURL string) (*smtpMailer, error) {
	u, err := url.Parse(smtpURL)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
		return nil, fmt.Errorf("app: SMTP_URL must look like smtp://user:pass@host:port")
	}
	m := &smtpMailer{host: u.Hostname(), ssl: u.Scheme == "smtps", port: 587, from: u.Query().Get("from")}
	if m.ssl {
		m.port = 465
	}
	if p := u.Port(); p != "" {
		if m.port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("app: SMTP_URL port: %w", err)
		}
	}
	if u.User != nil {
		m.user = u.User.Username()
		m.pass, _ = u.User.Password()
	}
	if m.from == "" {
		host := "localhost"
		if b, err := url.Parse(baseURL); err == nil && b.Hostname() != "" {
			host = b.Hostname()
		}
		m.from = "noreply@" + host
	}
	return m, nil
}

// loopback reports whether the mail server runs on this machine, where plain SMTP is
// normal (a local relay or a test server) and STARTTLS is not offered.
func (m *smtpMailer) loopback() bool {
	if m.host == "localhost" {
		return true
	}
	ip := net.ParseIP(m.host)
	return ip != nil && ip.IsLoopback()
}

func (m *smtpMailer) Send(ctx context.Context, to, subject, body string) error {
	msg := mail.NewMsg()
	if err := msg.From(m.from); err != nil {
		return fmt.Errorf("app: mail from %q: %w", m.from, err)
	}
	if err := msg.To(to); err != nil {
		return fmt.Errorf("app: mail to: %w", err)
	}
	msg.Subject(subject)
	msg.SetBodyString(mail.TypeTextPlain, body)
	opts := []mail.Option{mail.WithPort(m.port), mail.WithTimeout(30 * time.Second)}
	switch {
	case m.ssl:
		opts = append(opts, mail.WithSSL())
	case m.loopback():
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSOpportunistic))
	}
	if m.user != "" {
		auth := mail.SMTPAuthAutoDiscover
		if m.loopback() && !m.ssl {
			// Plain credentials over an unencrypted loopback connection are fine; go-mail
			// refuses them otherwise.
			auth = mail.SMTPAuthPlainNoEnc
		}
		opts = append(opts, mail.WithSMTPAuth(auth), mail.WithUsername(m.user), mail.WithPassword(m.pass))
	}
	client, err := mail.NewClient(m.host, opts...)
	if err != nil {
		return fmt.Errorf("app: mail client: %w", err)
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("app: send mail: %w", err)
	}
	return nil
}

// mailer returns the configured way of delivering mail.
func (s *Server) mailer() (Mailer, error) {
	if strings.TrimSpace(s.cfg.SMTPURL) == "" {
		return logMailer{log: s.log}, nil
	}
	return newSMTPMailer(s.cfg.SMTPURL, s.cfg.BaseURL)
}

// outboxBatch is how many messages one run of the worker claims.
const outboxBatch = 50

// RunOutboxOnce delivers the due messages of the outbox and reports how many went out.
// Each message is claimed (status sending, with a lease) before it is sent and marked
// sent after, so a message is delivered at most once even when runs overlap.
func (s *Server) RunOutboxOnce(ctx context.Context) (int, error) {
	m, err := s.mailer()
	if err != nil {
		return 0, err
	}
	msgs, err := s.store.ClaimOutbox(ctx, outboxBatch)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, msg := range msgs {
		sendCtx, cancel := context.WithTimeout(ctx, models.OutboxLease/2)
		err := redactError(m.Send(sendCtx, msg.ToAddr, msg.Subject, msg.Body), msg.ToAddr)
		cancel()
		if err != nil {
			s.log.Warn("mail not sent", "outbox_id", msg.ID, "attempt", msg.Attempts, "err", err)
			if err := s.store.MarkOutboxFailed(ctx, msg, err); err != nil {
				return sent, err
			}
			continue
		}
		if err := s.store.MarkOutboxSent(ctx, msg.ID); err != nil {
			return sent, err
		}
		sent++
	}
	return sent, nil
}
