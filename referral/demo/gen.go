//go:build ignore

// Gen builds places.json.gz, the demo directory, from the real open data
// of ../shared/data: go run gen.go -data /path/to/shared/data
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/mediation/franceservices"
	"github.com/passerelle-sante/passerelle/mediation/lamednum"
	"github.com/passerelle-sante/passerelle/territory"
)

func main() {
	data := flag.String("data", "../../../shared/data", "folder of the shared open data")
	out := flag.String("out", "places.json.gz", "output file")
	flag.Parse()
	ctx := context.Background()
	ref, err := territory.Default()
	if err != nil {
		log.Fatal(err)
	}
	communes := mediation.TerritoryCommunes(ref)
	type decoder func(context.Context, io.Reader, string) ([]mediation.Place, *mediation.ImportReport, error)
	lmn := func(ctx context.Context, r io.Reader, name string) ([]mediation.Place, *mediation.ImportReport, error) {
		return lamednum.Decode(ctx, r, lamednum.Options{File: name, Communes: communes})
	}
	fs := func(ctx context.Context, r io.Reader, name string) ([]mediation.Place, *mediation.ImportReport, error) {
		return franceservices.Decode(ctx, r, franceservices.Options{File: name, Communes: communes})
	}
	var sets [][]mediation.Place
	for _, f := range []struct {
		name string
		dec  decoder
	}{
		{"lmn-v1-charente-2023-07-11.json", lmn},
		{"lmn-v0.1-hinaura-auvergne-rhone-alpes.json", lmn},
		{"france-services-2024-08-01.csv", fs},
	} {
		b, err := os.ReadFile(filepath.Join(*data, f.name))
		if err != nil {
			log.Fatal(err)
		}
		places, rep, err := f.dec(ctx, bytes.NewReader(b), f.name)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Fprintf(os.Stderr, "%s: %d places (%d rejected)\n", f.name, len(places), rep.Rejected)
		sets = append(sets, places)
	}
	merged, mr := mediation.Merge(sets...)
	fmt.Fprintf(os.Stderr, "merged: %d places (%d groups)\n", len(merged), len(mr.Groups))
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.ModTime = zw.ModTime.UTC()
	if err := json.NewEncoder(zw).Encode(struct {
		Places []mediation.Place `json:"places"`
	}{merged}); err != nil {
		log.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}
