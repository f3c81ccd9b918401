package coop

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors, wrapped with %w by the errors returned from this package.
var (
	// ErrNoHeader: no row of the file looks like the header of an
	// "accompagnements" export.
	ErrNoHeader = errors.New("coop: no header row of an accompagnements export found")
	// ErrMissingColumns: the header row lacks columns the import needs.
	ErrMissingColumns = errors.New("coop: required columns missing")
	// ErrUnreadable: the file is neither a readable XLSX workbook nor CSV.
	ErrUnreadable = errors.New("coop: unreadable file")
	// ErrTooLarge: the file has more rows than Options.MaxRows.
	ErrTooLarge = errors.New("coop: file too large")
)

// MissingColumnsError names the required columns a header row lacks.
type MissingColumnsError struct {
	Row     int      // 1-based row of the header in the file
	Columns []string // the missing columns, as La Coop spells them
}

func (e *MissingColumnsError) Error() string {
	return fmt.Sprintf("coop: header at row %d: required columns missing: %s", e.Row, strings.Join(e.Columns, ", "))
}

// Unwrap makes errors.Is(err, ErrMissingColumns) true.
func (e *MissingColumnsError) Unwrap() error { return ErrMissingColumns }

// Rejection is one row the import refused: where (row, column) and why.
// Reason never quotes a dropped column (a name or a note).
type Rejection struct {
	Row    int    `json:"row"`   // 1-based row of the file (the line a CSV record starts on)
	Field  string `json:"field"` // the column, as La Coop spells it; empty for the whole row
	Reason string `json:"reason"`
}

func (r Rejection) Error() string {
	if r.Field == "" {
		return fmt.Sprintf("row %d: %s", r.Row, r.Reason)
	}
	return fmt.Sprintf("row %d, column %q: %s", r.Row, r.Field, r.Reason)
}
