package coop

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"testing"

	"github.com/xuri/excelize/v2"
)

// benchExport is an export of about 10,000 rows (goodRows repeated with
// fresh ID CRA), as CSV or XLSX.
func benchExport(b *testing.B, xlsx bool) []byte {
	b.Helper()
	var rows []fixtureRow
	for i := 0; len(rows) < 10_000; i++ {
		for _, r := range goodRows() {
			r.craID = fmt.Sprintf("%s-%d", r.craID, i)
			rows = append(rows, r)
		}
	}
	fx := fixture{name: "bench", coordinator: true, sep: ';'}
	if xlsx {
		fx.sep = 0
	}
	return fx.buildRows(b, rows)
}

// The baselines read the same bytes with the bare readers (encoding/csv,
// excelize's row iterator), so the ratio is what header detection, parsing,
// grouping and validation cost on top of reading.
func BenchmarkDecodeCSV(b *testing.B) {
	data := benchExport(b, false)
	opts := &Options{Now: fixtureNow}
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		res, err := Decode(context.Background(), bytes.NewReader(data), "bench.csv", opts)
		if err != nil || len(res.Rejected) != 0 {
			b.Fatal(err, res.Rejected)
		}
	}
}

func BenchmarkDecodeCSVBaseline(b *testing.B) {
	data := benchExport(b, false)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		r := csv.NewReader(bytes.NewReader(data))
		r.Comma, r.FieldsPerRecord, r.LazyQuotes = ';', -1, true
		for {
			if _, err := r.Read(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkDecodeXLSX(b *testing.B) {
	data := benchExport(b, true)
	opts := &Options{Now: fixtureNow}
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		res, err := Decode(context.Background(), bytes.NewReader(data), "bench.xlsx", opts)
		if err != nil || len(res.Rejected) != 0 {
			b.Fatal(err, res.Rejected)
		}
	}
}

func BenchmarkDecodeXLSXBaseline(b *testing.B) {
	data := benchExport(b, true)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true})
		if err != nil {
			b.Fatal(err)
		}
		rows, err := f.Rows(f.GetSheetList()[0])
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
			if _, err := rows.Columns(excelize.Options{RawCellValue: true}); err != nil {
				b.Fatal(err)
			}
		}
		rows.Close()
		f.Close()
	}
}
