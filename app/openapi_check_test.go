package app

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// The served OpenAPI document, loaded and checked once for the whole test binary.
var (
	apiDocOnce   sync.Once
	apiDocRouter routers.Router
	apiDocErr    error
)

func openAPIRouter() (routers.Router, error) {
	apiDocOnce.Do(func() {
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromData(OpenAPIDocument())
		if err != nil {
			apiDocErr = err
			return
		}
		if err := doc.Validate(loader.Context); err != nil {
			apiDocErr = err
			return
		}
		apiDocRouter, apiDocErr = legacy.NewRouter(doc)
	})
	return apiDocRouter, apiDocErr
}

// serve is the one way tests send a request to the app (the client, a.api, the
// fuzzers). Every /api/v1 answer is validated against the served OpenAPI document
// here, so no test can forget it and the document cannot drift from the code: a status
// the document does not list for that operation, a missing required property or a
// value of the wrong type fails the test that made the request.
func (a *testApp) serve(tb testing.TB, req *http.Request) *httptest.ResponseRecorder {
	res := httptest.NewRecorder()
	a.srv.Handler().ServeHTTP(res, req)
	if strings.HasPrefix(req.URL.Path, "/api/v1/") {
		if tb == nil {
			panic("app tests: an API request needs a *testing.T to report an OpenAPI mismatch to")
		}
		checkOpenAPI(tb, req, res)
	}
	return res
}

// checkOpenAPI validates one API answer against its operation in openapi.json.
func checkOpenAPI(tb testing.TB, req *http.Request, res *httptest.ResponseRecorder) {
	tb.Helper()
	router, err := openAPIRouter()
	if err != nil {
		tb.Fatalf("openapi.json does not load: %v", err)
	}
	route, params, err := router.FindRoute(req)
	if err != nil {
		// A path or method the API does not have: the app must say so too.
		if res.Code != http.StatusNotFound && res.Code != http.StatusMethodNotAllowed {
			tb.Errorf("%s %s answered %d, but openapi.json does not describe it: %v", req.Method, req.URL.Path, res.Code, err)
		}
		return
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{ExcludeRequestBody: true, AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}},
		Status:  res.Code,
		Header:  res.Header(),
		Body:    io.NopCloser(bytes.NewReader(res.Body.Bytes())),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		tb.Errorf("%s %s answered %d, which openapi.json does not allow: %v\nbody: %.600s",
			req.Method, req.URL.RequestURI(), res.Code, err, res.Body.String())
	}
}

func TestOpenAPIDocumentIsServedAndValid(t *testing.T) {
	a := newTestApp(t)
	res := a.client().get("/api/v1/openapi.json")
	if res.Code != http.StatusOK || !strings.HasPrefix(res.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("openapi.json: %d %s", res.Code, res.Header().Get("Content-Type"))
	}
	doc, err := openapi3.NewLoader().LoadFromData(res.Body.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	if _, err := openAPIRouter(); err != nil {
		t.Fatal(err)
	}
	// Every /api/v1 route of the app is described, with the same method.
	for key := range a.srv.Access() {
		method, path, _ := strings.Cut(key, " ")
		rest, ok := strings.CutPrefix(path, "/api/v1")
		if !ok || method == http.MethodHead {
			continue // HEAD answers as GET does, without a body: described by the GET
		}
		// Echo's ":id" is OpenAPI's "{id}".
		parts := strings.Split(rest, "/")
		for i, p := range parts {
			if name, ok := strings.CutPrefix(p, ":"); ok {
				parts[i] = "{" + name + "}"
			}
		}
		item := doc.Paths.Find(strings.Join(parts, "/"))
		if item == nil || item.GetOperation(method) == nil {
			t.Errorf("openapi.json lacks %s %s", method, path)
		}
	}
}

// The check itself must catch a drift: an answer the document does not allow fails.
func TestOpenAPICheckCatchesADrift(t *testing.T) {
	rec := &recordingTB{TB: t}
	req := httptest.NewRequest(http.MethodGet, "/api/v1/feedback/7", nil)
	for _, c := range []struct {
		status int
		body   string
	}{
		{http.StatusOK, `{"id":"seven"}`},                          // wrong type, required properties missing
		{http.StatusTeapot, `{"error":"short and stout"}`},         // a status the operation does not list
		{http.StatusBadRequest, `{"fields":{"id":"invalid"}}`},     // an error without its message
		{http.StatusBadRequest, `{"error":"x","fields":{"id":3}}`}, // a field reason that is not text
	} {
		rec.failed = false
		res := httptest.NewRecorder()
		res.Header().Set("Content-Type", "application/json")
		res.WriteHeader(c.status)
		res.WriteString(c.body)
		checkOpenAPI(rec, req, res)
		if !rec.failed {
			t.Errorf("%d %s passed the OpenAPI check", c.status, c.body)
		}
	}
}

// recordingTB notes a failure instead of failing the test.
type recordingTB struct {
	testing.TB
	failed bool
}

func (r *recordingTB) Errorf(string, ...any) { r.failed = true }
func (r *recordingTB) Helper()               {}
