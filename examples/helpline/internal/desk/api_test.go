package desk

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/passerelle-sante/passerelle/store"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"sigs.k8s.io/yaml"
)

// openAPI reads examples/helpline/openapi.yaml as JSON.
func openAPI(t *testing.T) map[string]any {
	t.Helper()
	y, err := os.ReadFile("../../openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	j, err := yaml.YAMLToJSON(y)
	if err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	var doc map[string]any
	if err := json.Unmarshal(j, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestOpenAPIMatchesRoutes checks that every API route of the mux (and
// /health) is in openapi.yaml with its method, and that openapi.yaml
// documents no route the mux lacks.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	srv, _ := newTestServer(t)
	doc := openAPI(t)
	if doc["openapi"] != "3.1.0" {
		t.Fatalf("openapi = %v", doc["openapi"])
	}
	var inMux []string
	for _, r := range srv.Routes() {
		method, path, ok := strings.Cut(r, " ")
		if !ok {
			continue
		}
		if strings.HasPrefix(path, "/api/") || path == "/health" {
			inMux = append(inMux, strings.ToLower(method)+" "+path)
		}
	}
	var inDoc []string
	for path, item := range doc["paths"].(map[string]any) {
		for method := range item.(map[string]any) {
			if slices.Contains([]string{"get", "post", "put", "patch", "delete"}, method) {
				inDoc = append(inDoc, method+" "+path)
			}
		}
	}
	slices.Sort(inMux)
	slices.Sort(inDoc)
	for _, r := range inMux {
		if !slices.Contains(inDoc, r) {
			t.Errorf("route %q is served but not in openapi.yaml", r)
		}
	}
	for _, r := range inDoc {
		if !slices.Contains(inMux, r) {
			t.Errorf("openapi.yaml documents %q, which the desk does not serve", r)
		}
	}
	if len(inMux) < 20 {
		t.Fatalf("only %d API routes found: %v", len(inMux), inMux)
	}
}

// apiSchemas compiles the component schemas of openapi.yaml.
func apiSchemas(t *testing.T) func(name string) *jsonschema.Schema {
	t.Helper()
	raw, err := json.Marshal(openAPI(t))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource("file:///openapi.json", doc); err != nil {
		t.Fatal(err)
	}
	return func(name string) *jsonschema.Schema {
		s, err := c.Compile("file:///openapi.json#/components/schemas/" + name)
		if err != nil {
			t.Fatalf("schema %s: %v", name, err)
		}
		return s
	}
}

// wantSchema validates a JSON body against a component schema.
func wantSchema(t *testing.T, s *jsonschema.Schema, body string) {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(strings.NewReader(body))
	if err != nil {
		t.Fatalf("not JSON: %v\n%s", err, body)
	}
	if err := s.Validate(v); err != nil {
		t.Fatalf("answer does not follow openapi.yaml: %v\n%s", err, body)
	}
}

func TestAPICallFlow(t *testing.T) {
	_, d := newTestServer(t)
	schema := apiSchemas(t)
	c := d.As(store.RoleTeleadvisor)

	res := c.api(http.MethodPost, "/api/v1/calls", nil)
	wantStatus(t, res, http.StatusCreated)
	wantSchema(t, schema("Call"), res.Body)
	var call apiCallState
	res.JSON(t, &call)
	base := "/api/v1/calls/" + call.CallID
	for n := 0; call.Question != nil; n++ {
		if n > 10 {
			t.Fatal("more than 10 questions")
		}
		ans := beginnerAnswers[call.Question.ID]
		var body any = ans[0]
		if call.Question.Type == "multi" {
			body = ans
		}
		res = c.api(http.MethodPost, base+"/answers", map[string]any{"item": call.Question.ID, "answer": body})
		wantStatus(t, res, http.StatusOK)
		call = apiCallState{}
		res.JSON(t, &call)
	}
	wantSchema(t, schema("Call"), res.Body)
	if call.Result == nil || call.Result.Level != "beginner" || len(call.Result.Why) == 0 {
		t.Fatalf("result = %+v", call.Result)
	}

	bad := c.api(http.MethodPost, base+"/where", map[string]any{"commune": "Qwxzzyv"})
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	wantContains(t, bad.Body, "Commune inconnue")
	wantSchema(t, schema("Problem"), bad.Body)

	res = c.api(http.MethodPost, base+"/where", map[string]any{"commune": "16000", "needs": []string{"activate_mes"}})
	wantStatus(t, res, http.StatusOK)
	wantSchema(t, schema("Call"), res.Body)
	call = apiCallState{}
	res.JSON(t, &call)
	var pathway, place string
	for _, pw := range call.Pathways {
		if len(pw.Places) > 0 {
			pathway, place = pw.ID, pw.Places[0].ID
			break
		}
	}
	if place == "" {
		t.Fatalf("no place proposed: %s", res.Body)
	}
	res = c.api(http.MethodPost, base+"/record", map[string]string{"pathway": pathway, "place_id": place})
	wantStatus(t, res, http.StatusCreated)
	wantSchema(t, schema("Referral"), res.Body)
	var ref struct {
		ID      string `json:"id"`
		Version int    `json:"version"`
		Status  string `json:"status"`
		PlaceID string `json:"place_id"`
	}
	res.JSON(t, &ref)
	if ref.PlaceID != place || ref.Status != "proposed" {
		t.Fatalf("referral = %+v", ref)
	}

	// Status changes: an invalid transition, a good one, then a stale version.
	st := "/api/v1/referrals/" + ref.ID + "/status"
	res = c.api(http.MethodPost, st, map[string]any{"status": "completed", "version": ref.Version})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.Body, "on ne peut pas passer de « proposée » à « terminée »")
	res = c.api(http.MethodPost, st, map[string]any{"status": "accepted", "version": ref.Version})
	wantStatus(t, res, http.StatusOK)
	res = c.api(http.MethodPost, st, map[string]any{"status": "declined", "version": ref.Version})
	wantStatus(t, res, http.StatusConflict)
	wantContains(t, res.Body, `"error": "conflict"`, "Quelqu'un d'autre vient de modifier")
	res = c.api(http.MethodPost, st, map[string]any{"status": "scheduled", "version": ref.Version + 1, "appointment": "2025-03-20"})
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res.Body, `"status": "scheduled"`, `"appointment": "2025-03-20T10:00:00+01:00"`)

	fu := c.api(http.MethodGet, "/api/v1/followup", nil)
	wantStatus(t, fu, http.StatusOK)
	wantContains(t, fu.Body, ref.ID)
	got := c.api(http.MethodGet, "/api/v1/referrals/"+ref.ID, nil)
	wantStatus(t, got, http.StatusOK)
	wantSchema(t, schema("Referral"), got.Body)
	p := c.api(http.MethodGet, "/api/v1/persons/"+call.PersonID, nil)
	wantStatus(t, p, http.StatusOK)
	wantContains(t, p.Body, `"level": "beginner"`)
	wantStatus(t, c.api(http.MethodGet, "/api/v1/persons/"+"00000000-0000-4000-8000-000000000000", nil), http.StatusNotFound)

	// Without the CSRF header, a write is refused.
	tok := c.CSRF
	c.CSRF = ""
	wantStatus(t, c.api(http.MethodPost, "/api/v1/calls", nil), http.StatusForbidden)
	c.CSRF = tok
	// Unknown fields and wrong types are bad requests that say where.
	res = c.api(http.MethodPost, base+"/record", map[string]any{"pathway": pathway, "place": place})
	wantStatus(t, res, http.StatusBadRequest)
	wantContains(t, res.Body, `unknown field \"place\"`)
}

func TestAPIAmbassador(t *testing.T) {
	_, d := newTestServer(t)
	c := d.As(store.RoleAmbassador)
	res := c.api(http.MethodPost, "/api/v1/actions", map[string]any{"type": "atelier_activation", "date": "2025-03-10",
		"duration_minutes": 90, "commune": "Cognac", "people_sensitised": 12, "accounts_activated": 7})
	wantStatus(t, res, http.StatusCreated)
	wantContains(t, res.Body, `"commune": "16102"`, `"accounts_activated": 7`)
	res = c.api(http.MethodPost, "/api/v1/actions", map[string]any{"type": "atelier_activation", "date": "2025-03-10",
		"commune": "Cognac", "people_sensitised": 2, "accounts_activated": 7})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, res.Body, "accounts_activated")
	list := c.api(http.MethodGet, "/api/v1/actions", nil)
	wantStatus(t, list, http.StatusOK)
	wantContains(t, list.Body, `"type": "atelier_activation"`)

	q := c.api(http.MethodPost, "/api/v1/questions", map[string]any{"question": "Comment activer le compte d'un mineur ?", "region": "75"})
	wantStatus(t, q, http.StatusCreated)
	var created struct {
		ID string `json:"id"`
	}
	q.JSON(t, &created)
	ans := c.api(http.MethodPost, "/api/v1/questions/"+created.ID+"/answer", map[string]any{"answer": "Le représentant légal l'active.", "version": 1})
	wantStatus(t, ans, http.StatusNoContent)
	again := c.api(http.MethodPost, "/api/v1/questions/"+created.ID+"/answer", map[string]any{"answer": "Autre réponse.", "version": 1})
	wantStatus(t, again, http.StatusConflict)
	personal := c.api(http.MethodPost, "/api/v1/questions", map[string]any{"question": "Appelez-moi au 06 12 34 56 78", "region": "75"})
	wantStatus(t, personal, http.StatusUnprocessableEntity)
	wantContains(t, personal.Body, "question")
	qs := c.api(http.MethodGet, "/api/v1/questions", nil)
	wantStatus(t, qs, http.StatusOK)
	wantContains(t, qs.Body, "Le représentant légal l'active.")
	// A teleadvisor has no access to the ambassador API.
	wantStatus(t, d.As(store.RoleTeleadvisor).api(http.MethodGet, "/api/v1/actions", nil), http.StatusForbidden)
}
