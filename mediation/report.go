package mediation

import (
	"errors"
	"fmt"
)

// Sentinel errors of the package and its importers; match them with
// errors.Is.
var (
	// ErrUnreadable: the input is not the expected format at all (not JSON,
	// not CSV, no header). Bad rows are never this error: they go into the
	// ImportReport.
	ErrUnreadable = errors.New("mediation: input cannot be read")
	// ErrUnknownFormat: format detection found no supported format.
	ErrUnknownFormat = errors.New("mediation: unknown place file format")
	// ErrInvalidQuery is wrapped by every error about a directory Query
	// that cannot be answered (a point off the globe, a bad k or distance,
	// a value that is not in the standard).
	ErrInvalidQuery = errors.New("mediation: invalid directory query")

	// ErrInvalidRecord is wrapped by every *RecordError: a coordinator,
	// ambassador, training, action, accompaniment or question that misses
	// a field or holds a bad value.
	ErrInvalidRecord = errors.New("mediation: invalid record")
	// ErrNotFound: a NetworkStore holds no record with this id.
	ErrNotFound = errors.New("mediation: record not found")
	// ErrConflict: the record changed in the NetworkStore since it was
	// read (optimistic concurrency on Version); read it again and retry.
	ErrConflict = errors.New("mediation: conflicting update")
)

// Status is the fate of one input row.
type Status string

// Row statuses.
const (
	StatusAccepted Status = "accepted" // imported as is
	StatusRepaired Status = "repaired" // imported after flagged repairs
	StatusRejected Status = "rejected" // not imported
)

// RowOutcome is the fate of one row of an input, with the reasons.
type RowOutcome struct {
	// Row is the 1-based data row of a CSV (header excluded) or the 1-based
	// position in a JSON array.
	Row     int          `json:"row"`
	ID      string       `json:"id,omitempty"`
	Status  Status       `json:"status"`
	Reasons []FieldError `json:"reasons,omitempty"`
}

// ImportReport accounts for every row of one input: Accepted + Repaired +
// Rejected == len(Rows).
type ImportReport struct {
	Source   string       `json:"source,omitempty"` // file name or feed
	Format   string       `json:"format"`
	Accepted int          `json:"accepted"`
	Repaired int          `json:"repaired"`
	Rejected int          `json:"rejected"`
	Rows     []RowOutcome `json:"rows"`
}

// Add records one row outcome and updates the counts.
func (r *ImportReport) Add(o RowOutcome) {
	switch o.Status {
	case StatusAccepted:
		r.Accepted++
	case StatusRepaired:
		r.Repaired++
	case StatusRejected:
		r.Rejected++
	}
	r.Rows = append(r.Rows, o)
}

// Imported is the number of places the input produced.
func (r *ImportReport) Imported() int { return r.Accepted + r.Repaired }

// String summarises the counts in one line.
func (r *ImportReport) String() string {
	return fmt.Sprintf("%s (%s): %d accepted, %d repaired, %d rejected",
		r.Source, r.Format, r.Accepted, r.Repaired, r.Rejected)
}

// Rejections returns the rejected rows, in input order.
func (r *ImportReport) Rejections() []RowOutcome {
	var out []RowOutcome
	for _, o := range r.Rows {
		if o.Status == StatusRejected {
			out = append(out, o)
		}
	}
	return out
}
