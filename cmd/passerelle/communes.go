package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/passerelle-sante/passerelle/territory"
)

func communesCommand() command {
	return command{
		name:    "communes",
		summary: "look up French communes by name, postal code or INSEE code",
		usage: `Usage:
  passerelle communes <command> [arguments]

Look up communes in the embedded reference (COG 2025, 34,969 communes).`,
		subs: []command{communesFindCommand(), communesShowCommand()},
	}
}

const communesFindUsage = `Usage:
  passerelle communes find TEXT [--limit N] [--format text|json]

Find communes by name, forgiving accents, case, hyphens, "St"/"Saint" and
typos. TEXT may also be or contain a postal code or an INSEE code:
  passerelle communes find "St Afrique"
  passerelle communes find "Saint-Affrique 12400"
  passerelle communes find 75015
Several words may be given without quotes. Exits 1 when nothing matches.`

const communesShowUsage = `Usage:
  passerelle communes show CODE [--format text|json]

Show one commune by INSEE code (e.g. 12208), with its département and région.`

// communeJSON is the documented JSON form of a commune in CLI output.
type communeJSON struct {
	Code        string      `json:"code"`
	Name        string      `json:"nom"`
	PostalCodes []string    `json:"codes_postaux"`
	Lat         float64     `json:"lat"`
	Lon         float64     `json:"lon"`
	Departement string      `json:"departement"`
	Region      string      `json:"region"`
	Population  int         `json:"population"`
	Density     densityJSON `json:"densite"`
	Score       *float64    `json:"score,omitempty"`
}

type densityJSON struct {
	Class int    `json:"classe"`
	Label string `json:"libelle"`
	Group string `json:"groupe"`
}

func toCommuneJSON(c territory.Commune) communeJSON {
	cps := c.PostalCodes
	if cps == nil {
		cps = []string{}
	}
	return communeJSON{
		Code: c.Code, Name: c.Name, PostalCodes: cps, Lat: c.Lat, Lon: c.Lon,
		Departement: c.Departement, Region: c.Region, Population: c.Population,
		Density: densityJSON{Class: int(c.Density), Label: c.Density.Label("fr"), Group: string(c.Density.Group())},
	}
}

func communesFindCommand() command {
	return command{
		name:    "find",
		summary: "find communes by name, postal code or INSEE code",
		usage:   communesFindUsage,
		run: func(ctx context.Context, e *env, args []string) error {
			fs := newFlags(e, "communes find", communesFindUsage)
			limit := fs.Int("limit", territory.DefaultLimit, "maximum number of communes to print")
			format := newChoice("text", "text", "json")
			fs.Var(format, "format", "output format: text or json")
			pos, err := parseFlags(fs, args)
			if err != nil {
				return err
			}
			text := strings.TrimSpace(strings.Join(pos, " "))
			if text == "" {
				return usagef("communes find --help", "communes find needs a TEXT to search")
			}
			if *limit < 1 {
				return usagef("communes find --help", "--limit must be at least 1, got %d", *limit)
			}
			ref, err := territory.Default()
			if err != nil {
				return err
			}
			matches := ref.Find(text, *limit)
			if len(matches) == 0 {
				return fmt.Errorf("no commune matches %q", text)
			}
			if format.value == "json" {
				out := struct {
					Communes []communeJSON `json:"communes"`
				}{Communes: make([]communeJSON, 0, len(matches))}
				for _, m := range matches {
					c := toCommuneJSON(m.Commune)
					score := m.Score
					c.Score = &score
					out.Communes = append(out.Communes, c)
				}
				return writeJSON(e.stdout, out)
			}
			for _, m := range matches {
				c := m.Commune
				fmt.Fprintf(e.stdout, "%s  %-30s  %-17s  dép. %-3s  %8d hab.  %s  (%.2f)\n",
					c.Code, c.Name, strings.Join(c.PostalCodes, " "), c.Departement, c.Population,
					c.Density.Label("fr"), m.Score)
			}
			return nil
		},
	}
}

func communesShowCommand() command {
	return command{
		name:    "show",
		summary: "show one commune by INSEE code",
		usage:   communesShowUsage,
		run: func(ctx context.Context, e *env, args []string) error {
			fs := newFlags(e, "communes show", communesShowUsage)
			format := newChoice("text", "text", "json")
			fs.Var(format, "format", "output format: text or json")
			pos, err := parseFlags(fs, args)
			if err != nil {
				return err
			}
			if len(pos) != 1 {
				return usagef("communes show --help", "communes show needs exactly one INSEE code, got %d arguments", len(pos))
			}
			ref, err := territory.Default()
			if err != nil {
				return err
			}
			code := strings.ToUpper(strings.TrimSpace(pos[0]))
			c, ok := ref.Commune(code)
			if !ok {
				return fmt.Errorf("no commune has INSEE code %q", pos[0])
			}
			dep, _ := ref.Departement(c.Departement)
			reg, _ := ref.Region(c.Region)
			if format.value == "json" {
				return writeJSON(e.stdout, struct {
					Commune     communeJSON           `json:"commune"`
					Departement territory.Departement `json:"departement"`
					Region      territory.Region      `json:"region"`
				}{toCommuneJSON(c), dep, reg})
			}
			fmt.Fprintf(e.stdout, "%s %s\n", c.Code, c.Name)
			fmt.Fprintf(e.stdout, "  codes postaux : %s\n", strings.Join(c.PostalCodes, " "))
			fmt.Fprintf(e.stdout, "  département   : %s %s\n", dep.Code, dep.Name)
			fmt.Fprintf(e.stdout, "  région        : %s %s\n", reg.Code, reg.Name)
			fmt.Fprintf(e.stdout, "  centroïde     : %.4f, %.4f\n", c.Lat, c.Lon)
			fmt.Fprintf(e.stdout, "  population    : %d\n", c.Population)
			fmt.Fprintf(e.stdout, "  densité       : %d %s (%s)\n", c.Density, c.Density.Label("fr"), c.Density.Group().Label("fr"))
			if dep.Share60Plus > 0 {
				fmt.Fprintf(e.stdout, "  60 ans et plus (département) : %.1f %%\n", 100*dep.Share60Plus)
			}
			return nil
		},
	}
}
