package app

import (
	"net"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/time/rate"
)

// clientLimiter limits failed sign-ins per client address: a burst, then a steady
// rate. Only failures spend the budget, so the employees of a branch that share one
// address (or a proxy's, when TRUSTED_PROXIES is not set) can all sign in at nine;
// a guesser cannot.
type clientLimiter struct {
	mu      sync.Mutex
	rate    rate.Limit
	burst   int
	clients map[string]*clientBudget
}

type clientBudget struct {
	lim  *rate.Limiter
	seen time.Time
}

// clientForget is how long an address without failures is remembered.
const clientForget = 10 * time.Minute

func newClientLimiter(cfg Config) *clientLimiter {
	return &clientLimiter{rate: rate.Limit(cfg.LoginRate), burst: cfg.LoginBurst, clients: map[string]*clientBudget{}}
}

func (l *clientLimiter) budget(ip string, now time.Time) *clientBudget {
	b, ok := l.clients[ip]
	if !ok {
		if len(l.clients) > 10000 {
			for k, v := range l.clients {
				if now.Sub(v.seen) > clientForget {
					delete(l.clients, k)
				}
			}
		}
		b = &clientBudget{lim: rate.NewLimiter(l.rate, l.burst)}
		l.clients[ip] = b
	}
	b.seen = now
	return b
}

// allowed reports whether the address may try to sign in (it has budget left).
func (l *clientLimiter) allowed(ip string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	return l.budget(ip, now).lim.TokensAt(now) >= 1
}

// failed spends one attempt of the address's budget.
func (l *clientLimiter) failed(ip string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	l.budget(ip, now).lim.AllowN(now, 1)
}

// ipExtractor takes the client address from the connection, or, when the connection
// comes from a trusted proxy, from X-Forwarded-For: the right-most address there that
// is not itself a trusted proxy. Nothing else is trusted (not loopback, not private
// networks), so without TRUSTED_PROXIES a client cannot choose its own address.
func ipExtractor(trusted []*net.IPNet) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range trusted {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}
