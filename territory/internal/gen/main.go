// Command gen rebuilds territory's embedded reference (territory.tsv.gz)
// from the raw open-data files. Run it through "go generate ./territory".
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/passerelle-sante/passerelle/territory/internal/build"
)

func main() {
	data := flag.String("data", "../shared/data", "folder holding the raw CSV files")
	out := flag.String("out", "territory/territory.tsv.gz", "file to write")
	flag.Parse()
	table, rep, err := build.Build(*data)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	gz, err := build.Compress(table)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, gz, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	fmt.Printf("%s: %d bytes (%d uncompressed)\n", *out, len(gz), len(table))
	fmt.Printf("communes %d, départements %d (%d with ages), régions %d\n", rep.Communes, rep.Departements, rep.Share60Plus, rep.Regions)
	fmt.Printf("density: %d by code; renamed code %s; split %s; unknown %d (%s)\n",
		rep.DensityByCode, strings.Join(rep.DensityByRenamedCode, " "), strings.Join(rep.DensityBySplit, " "),
		len(rep.DensityUnknown), strings.Join(rep.DensityUnknown, " "))
	fmt.Printf("former names (2024 grid name differs): %d\n", rep.FormerNames)
	fmt.Printf("population from geo.api (none in COG): %s; none: %s; geo.api differs from COG: %d\n",
		strings.Join(rep.PopulationFromGeoAPI, " "), strings.Join(rep.NoPopulation, " "), rep.PopulationDiffers)
}
