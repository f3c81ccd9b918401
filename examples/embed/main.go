// Command embed is the smallest integration of passerelle: it assesses a
// caller with the phone triage, refers them by the national rules to the
// places of the embedded demo directory, and prints the orientation sheet.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/referral/demo"
	"github.com/passerelle-sante/passerelle/territory"
)

func main() {
	triage, err := assessment.Builtin("triage")
	check(err)
	answers, err := triage.DecodeAnswers([]byte(`{"device":"smartphone_only","internet_use":"rarely",
		"procedures":"with_help","email":"none","helper":"nobody","health_accounts":"neither",
		"barriers":["none"],"forms_confidence":"somewhat"}`))
	check(err) // an *assessment.AnswersError lists every problem by item id
	result, err := triage.Score(answers)
	check(err)
	rules, err := referral.NationalRules()
	check(err)
	places, err := demo.Directory(nil) // or your own mediation.Directory
	check(err)
	communes, err := territory.Default()
	check(err)
	engine, err := referral.NewEngine(referral.Infallible(rules), places, communes, nil)
	check(err)
	found := communes.Find("cognak 16100", 1) // forgiving search: typos, postal code
	if len(found) == 0 {
		check(fmt.Errorf("no commune matches %q", "cognak 16100"))
	}
	proposal, err := engine.Refer(context.Background(), referral.Request{Assessment: result,
		Person: referral.Person{Commune: found[0].Commune.Code}})
	check(err)
	pathway := proposal.Pathways[0].Pathway // the first pathway with places, else the first one
	for _, pw := range proposal.Pathways {
		if len(pw.Places) > 0 {
			pathway = pw.Pathway
			break
		}
	}
	sheet, err := engine.Sheet(proposal, pathway, "", referral.SheetOptions{Reference: "R-0001"})
	check(err)
	check(referral.RenderSheetText(os.Stdout, sheet, assessment.LangFR))
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "embed:", err)
		os.Exit(1)
	}
}
