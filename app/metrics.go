package app

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/improvementtracker/tracker/models/store"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/improvementtracker/tracker/models"
)

// metrics is what the app tells the bank's monitoring at GET /metrics. Each server has
// its own registry, so that tests may build many servers in one process.
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	// handler writes the registry in the Prometheus text format.
	handler http.Handler
}

func newMetrics(st *store.Store) *metrics {
	m := &metrics{registry: prometheus.NewRegistry()}
	// Labelled by the route's pattern ("/feedback/:id"), never the raw path: one series
	// per route, not one per feedback.
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "tracker_http_requests_total",
		Help: "HTTP requests answered, by method, route pattern and status code.",
	}, []string{"method", "route", "status"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "tracker_http_request_duration_seconds",
		Help:    "Time to answer an HTTP request, by method and route pattern.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"method", "route"})
	m.registry.MustRegister(m.requests, m.latency,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		&storeCollector{store: st})
	m.handler = promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
	return m
}

// observe is the middleware that counts and times every request.
func (m *metrics) observe(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			// Let the error handler write the answer now, so that its status is counted.
			c.Error(err)
		}
		route := c.Path()
		if route == "" || route == "/*" {
			route = "unmatched"
		}
		method := c.Request().Method
		m.requests.WithLabelValues(method, route, strconv.Itoa(c.Response().Status)).Inc()
		m.latency.WithLabelValues(method, route).Observe(time.Since(start).Seconds())
		return nil
	}
}

// Descriptions of the figures read from the database at each scrape.
var (
	descPoolOpen    = prometheus.NewDesc("tracker_db_pool_open_connections", "Open database connections.", []string{"pool"}, nil)
	descPoolInUse   = prometheus.NewDesc("tracker_db_pool_in_use_connections", "Database connections in use.", []string{"pool"}, nil)
	descPoolWait    = prometheus.NewDesc("tracker_db_pool_wait_total", "Times a request waited for a free database connection.", []string{"pool"}, nil)
	descPoolWaitDur = prometheus.NewDesc("tracker_db_pool_wait_seconds_total", "Time spent waiting for a free database connection.", []string{"pool"}, nil)
	descWriterQueue = prometheus.NewDesc("tracker_db_writer_queue_depth", "Feedback writes waiting for or inside SQLite's single-writer group commit (0 on PostgreSQL).", nil, nil)
	descBacklog     = prometheus.NewDesc("tracker_delivery_backlog", "Messages waiting to be delivered, by queue and state.", []string{"queue", "state"}, nil)
	descOverdue     = prometheus.NewDesc("tracker_followups_overdue", "Detractors not called back within 24 hours (counted up to 100,000).", nil, nil)
	descListening   = prometheus.NewDesc("tracker_instances_listening", "1 while this instance hears other instances' writes (PostgreSQL's LISTEN); 0 when it does not, and on SQLite.", nil, nil)
	descHeard       = prometheus.NewDesc("tracker_instances_heard_writes_total", "Write transactions of other instances this instance heard.", nil, nil)
	descScrapeError = prometheus.NewDesc("tracker_metrics_query_errors", "Database figures that could not be read during this scrape.", nil, nil)
)

// storeCollector reads the database's figures when monitoring asks, from indexes
// only, with a short timeout: a slow database must not make the scrape hang.
type storeCollector struct{ store *store.Store }

// Describe sends the descriptions of every figure.
func (sc *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descPoolOpen, descPoolInUse, descPoolWait, descPoolWaitDur,
		descWriterQueue, descListening, descHeard, descBacklog, descOverdue, descScrapeError} {
		ch <- d
	}
}

// Collect reads the figures now.
func (sc *storeCollector) Collect(ch chan<- prometheus.Metric) {
	write, read := sc.store.PoolStats()
	for pool, st := range map[string]struct {
		open, inUse, waits int64
		waited             time.Duration
	}{
		"write": {int64(write.OpenConnections), int64(write.InUse), write.WaitCount, write.WaitDuration},
		"read":  {int64(read.OpenConnections), int64(read.InUse), read.WaitCount, read.WaitDuration},
	} {
		ch <- prometheus.MustNewConstMetric(descPoolOpen, prometheus.GaugeValue, float64(st.open), pool)
		ch <- prometheus.MustNewConstMetric(descPoolInUse, prometheus.GaugeValue, float64(st.inUse), pool)
		ch <- prometheus.MustNewConstMetric(descPoolWait, prometheus.CounterValue, float64(st.waits), pool)
		ch <- prometheus.MustNewConstMetric(descPoolWaitDur, prometheus.CounterValue, st.waited.Seconds(), pool)
	}
	ch <- prometheus.MustNewConstMetric(descWriterQueue, prometheus.GaugeValue, float64(sc.store.WriterQueueDepth()))
	listening, heard := sc.store.Hearing()
	ch <- prometheus.MustNewConstMetric(descListening, prometheus.GaugeValue, map[bool]float64{true: 1}[listening])
	ch <- prometheus.MustNewConstMetric(descHeard, prometheus.CounterValue, float64(heard))

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	failures := 0
	backlogs, err := deliveryBacklogs(ctx, sc.store)
	if err != nil {
		failures++
	}
	for _, b := range backlogs {
		ch <- prometheus.MustNewConstMetric(descBacklog, prometheus.GaugeValue, float64(b.N), b.Queue, b.State)
	}
	if overdue, err := sc.store.OverdueFollowUps(ctx, 100_000); err == nil {
		ch <- prometheus.MustNewConstMetric(descOverdue, prometheus.GaugeValue, float64(overdue))
	} else {
		failures++
	}
	ch <- prometheus.MustNewConstMetric(descScrapeError, prometheus.GaugeValue, float64(failures))
}

// backlog is one queue's count of messages in one state.
type backlog struct {
	Queue, State string
	N            int
}

// deliveryBacklogs lists what waits to be delivered, as tracker_delivery_backlog{queue,
// state}. The customer e-mail outbox is here; the webhook deliveries belong here too:
// append {Queue: "webhook", State: "pending"|"failed"} from their table.
func deliveryBacklogs(ctx context.Context, st *store.Store) ([]backlog, error) {
	pending, failed, err := st.OutboxBacklog(ctx)
	if err != nil {
		return nil, err
	}
	return []backlog{{"outbox", "pending", pending}, {"outbox", "failed", failed}}, nil
}

// metricsEndpoint serves the Prometheus text format to an address in METRICS_ALLOW,
// or to anyone presenting an admin's API token; others get 403.
func (s *Server) metricsEndpoint(c echo.Context) error {
	ok, err := s.metricsAllowed(c)
	if err != nil {
		return err
	}
	if !ok {
		return c.String(http.StatusForbidden, "forbidden\n")
	}
	s.metrics.handler.ServeHTTP(c.Response(), c.Request())
	return nil
}

func (s *Server) metricsAllowed(c echo.Context) (bool, error) {
	if ip := net.ParseIP(c.RealIP()); ip != nil {
		for _, n := range s.cfg.MetricsAllow {
			if n.Contains(ip) {
				return true, nil
			}
		}
	}
	token, ok := strings.CutPrefix(c.Request().Header.Get("Authorization"), "Bearer ")
	if !ok || strings.TrimSpace(token) == "" {
		return false, nil
	}
	u, err := s.store.UserByToken(c.Request().Context(), strings.TrimSpace(token))
	if errors.Is(err, models.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return u.Has(models.RoleAdmin), nil
}
