package desk

import (
	"context"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/plugins"
	"github.com/passerelle-sante/passerelle/referral/demo"
)

// pluginOnlyPlace is the id of a place only the test's directory plugin
// serves.
const pluginOnlyPlace = "passerelle-test-greffon-1"

// installExamplePlugins builds the repository's example plugins and
// installs them into a fresh plugin directory.
func installExamplePlugins(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the example plugins")
	}
	bins := t.TempDir()
	cmd := exec.Command("go", "build", "-o", bins+string(filepath.Separator),
		"../../../plugins/directory-lamednum", "../../../plugins/sink-jsonl")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := t.TempDir()
	for _, b := range []string{"directory-lamednum", "sink-jsonl"} {
		if _, err := plugins.Install(context.Background(), filepath.Join(bins, b), dir); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestServeWithPlugins runs the desk with --plugins: the directory plugin's
// places join the embedded ones, and a referral recorded through the API
// reaches the sink plugin's file through the outbox.
func TestServeWithPlugins(t *testing.T) {
	dir := installExamplePlugins(t)
	// The real Charente feed, plus one place the embedded directory cannot
	// have: it must reach the index and the coverage screen's places.
	raw, err := os.ReadFile("../../../../plugins/testdata/lmn-v1-charente-2023-07-11.json")
	if err != nil {
		t.Fatal(err)
	}
	var records []map[string]any
	if err := json.Unmarshal(raw, &records); err != nil {
		t.Fatal(err)
	}
	only := maps.Clone(records[0])
	only["id"], only["nom"], only["adresse"] = pluginOnlyPlace, "Atelier du greffon", "1 chemin des essais"
	only["latitude"], only["longitude"] = 45.70, -0.25
	records = append(records, only)
	raw, err = json.Marshal(records)
	if err != nil {
		t.Fatal(err)
	}
	feed := filepath.Join(t.TempDir(), "feed.json")
	if err := os.WriteFile(feed, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	events := filepath.Join(t.TempDir(), "events.jsonl")
	t.Setenv("LAMEDNUM_FILE", feed)
	t.Setenv("SINK_JSONL_FILE", events)

	// The directory alone: the plugin's places are merged in.
	d, err := OpenDirectory(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	base, err := demo.Places()
	if err != nil {
		t.Fatal(err)
	}
	if len(d.mirrors) != 1 || len(d.mirrors[0].Places()) != 189 || len(d.sinks) != 1 || d.Len() < len(base) {
		t.Fatalf("mirrors %d, sinks %d, places %d (demo %d)", len(d.mirrors), len(d.sinks), d.Len(), len(base))
	}
	// The coverage screen lists the same merged places, the plugin's own
	// place among them.
	if !slices.ContainsFunc(d.Places(), func(p mediation.Place) bool { return p.ID == pluginOnlyPlace }) {
		t.Fatalf("the plugin's place %s is missing from Directory.Places (%d places)", pluginOnlyPlace, len(d.Places()))
	}
	d.Close()

	// The whole desk.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	done := make(chan int, 1)
	var errb syncBuffer
	go func() {
		done <- Main(ctx, []string{"--addr", "127.0.0.1:0", "--store", "memory:", "--plugins", dir}, strings.NewReader(""),
			io.Discard, &errb, noEnv, func(a string) { ready <- a })
	}()
	var addr string
	select {
	case addr = <-ready:
	case code := <-done:
		t.Fatalf("exit %d: %s", code, errb.String())
	case <-time.After(90 * time.Second):
		t.Fatal("not serving after 90 s")
	}
	pw := strings.Fields(strings.SplitN(errb.String(), "password: ", 2)[1])[0]
	c := (&testDesk{t: t, URL: "http://" + addr}).newClient()
	var info apiSessionInfo
	res := c.api(http.MethodPost, "/api/v1/login", map[string]string{"login": "admin", "password": pw})
	wantStatus(t, res, http.StatusOK)
	res.JSON(t, &info)
	c.CSRF = info.CSRF
	var call apiCallState
	res = c.api(http.MethodPost, "/api/v1/calls", nil)
	res.JSON(t, &call)
	for call.Question != nil {
		ans := beginnerAnswers[call.Question.ID]
		var body any = ans[0]
		if call.Question.Type == "multi" {
			body = ans
		}
		res = c.api(http.MethodPost, "/api/v1/calls/"+call.CallID+"/answers", map[string]any{"item": call.Question.ID, "answer": body})
		call = apiCallState{}
		res.JSON(t, &call)
	}
	res = c.api(http.MethodPost, "/api/v1/calls/"+call.CallID+"/where", map[string]any{"commune": "Angoulême"})
	wantStatus(t, res, http.StatusOK)
	call = apiCallState{}
	res.JSON(t, &call)
	pw0 := call.Pathways[0]
	place := ""
	if len(pw0.Places) > 0 {
		place = pw0.Places[0].ID
	}
	res = c.api(http.MethodPost, "/api/v1/calls/"+call.CallID+"/record", map[string]string{"pathway": pw0.ID, "place_id": place})
	wantStatus(t, res, http.StatusCreated)
	var ref struct {
		ID string `json:"id"`
	}
	res.JSON(t, &ref)

	deadline := time.Now().Add(30 * time.Second)
	for {
		b, _ := os.ReadFile(events)
		if strings.Contains(string(b), ref.ID) && strings.Contains(string(b), "referral.created") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the sink plugin did not receive referral %s within 30 s; file:\n%s\nlog:\n%s", ref.ID, b, errb.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no shutdown")
	}
}
