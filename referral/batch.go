package referral

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/passerelle-sante/passerelle/assessment"
	"github.com/passerelle-sante/passerelle/mediation"
)

// Columns of a batch file. The header names them, in any order.
const (
	ColPersonID = "person_id"
	ColCommune  = "commune" // INSEE code, or postal code
	ColLevel    = "level"   // an assessment level...
	ColAnswers  = "answers" // ...or the instrument's answers as JSON
	ColAgeBand  = "age_band"
	ColFlags    = "flags" // assessment flags and constraints, |-separated
	ColNeeds    = "needs" // |-separated
)

// BatchOptions tune Engine.Batch. A nil *BatchOptions means the defaults.
type BatchOptions struct {
	// Instrument scores the answers column; required when the file has
	// one.
	Instrument *assessment.Instrument
	// Workers is the number of goroutines referring people (0: GOMAXPROCS).
	Workers int
	// Progress, when set, is called every ProgressEvery people read and at
	// the end, from a single goroutine.
	Progress      func(BatchSummary)
	ProgressEvery int // 0: 10,000
	// MaxRejections caps the rejected rows kept in the summary (0: 1,000);
	// the counts stay exact.
	MaxRejections int
}

// BatchSummary counts what a batch did.
type BatchSummary struct {
	Read     int `json:"read"`     // people rows read
	Referred int `json:"referred"` // people with at least one output row
	Rejected int `json:"rejected"`
	Rows     int `json:"rows"` // output rows written
	// Reasons counts the rejected rows by reason code (e.g.
	// "unknown_commune").
	Reasons    map[string]int `json:"reasons"`
	Rejections []RowError     `json:"rejections"`
}

// RowError is one rejected batch row: which line of the file, which
// column, and what is wrong. It wraps ErrBadRow and the cause.
type RowError struct {
	Line   int    `json:"line"`
	Column string `json:"column,omitempty"`
	Reason string `json:"reason"` // a code: unknown_commune, bad_level, ...
	Err    error  `json:"-"`
	// Message is Err's text, for JSON.
	Message string `json:"message"`
}

func (e *RowError) Error() string {
	if e.Column != "" {
		return fmt.Sprintf("line %d, column %s: %v", e.Line, e.Column, e.Err)
	}
	return fmt.Sprintf("line %d: %v", e.Line, e.Err)
}

func (e *RowError) Unwrap() []error { return []error{ErrBadRow, e.Err} }

func rowErr(line int, col, reason string, err error) *RowError {
	return &RowError{Line: line, Column: col, Reason: reason, Err: err, Message: err.Error()}
}

// batchColumns maps the header to column positions (-1: absent).
type batchColumns struct {
	person, commune, level, answers, age, flags, needs int
	width                                              int
}

func readHeader(rec []string, inst *assessment.Instrument) (batchColumns, error) {
	c := batchColumns{-1, -1, -1, -1, -1, -1, -1, len(rec)}
	seen := map[string]bool{}
	for i, name := range rec {
		name = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(name, "\ufeff")))
		if seen[name] {
			return c, fmt.Errorf("header: column %q appears twice", name)
		}
		seen[name] = true
		switch name {
		case ColPersonID:
			c.person = i
		case ColCommune:
			c.commune = i
		case ColLevel:
			c.level = i
		case ColAnswers:
			c.answers = i
		case ColAgeBand:
			c.age = i
		case ColFlags:
			c.flags = i
		case ColNeeds:
			c.needs = i
		}
	}
	var missing []string
	if c.person < 0 {
		missing = append(missing, ColPersonID)
	}
	if c.commune < 0 {
		missing = append(missing, ColCommune)
	}
	if c.level < 0 && c.answers < 0 {
		missing = append(missing, ColLevel+" or "+ColAnswers)
	}
	if len(missing) > 0 {
		return c, fmt.Errorf("header: missing column(s) %s (found %s)", strings.Join(missing, ", "), strings.Join(rec, ","))
	}
	if c.answers >= 0 && inst == nil {
		return c, errors.New("header: an answers column needs an instrument to score it")
	}
	return c, nil
}

type batchRow struct {
	line   int
	fields []string
	err    error // a CSV syntax error on this row
}

type batchChunk struct {
	seq  int
	rows []batchRow
	// filled by a worker:
	out      []byte
	read     int
	referred int
	nrows    int
	rejected []*RowError
}

const chunkRows = 256

// Batch refers every person of a CSV file and writes one CSV row per person
// and pathway: person_id, pathway, place_id (empty for a pathway without a
// place, or when none was found), distance_km, rule. The first place of
// each pathway is written; Why texts are not built.
//
// Rows are read in chunks and referred by a pool of workers; the output
// keeps the input order (chunks are written in sequence), so two runs give
// the same file. Memory stays bounded: at most a few chunks per worker are
// in flight. A row that cannot be used is rejected with its line, column
// and reason, and the batch goes on; the error is non-nil only when the
// header is unusable, the input cannot be read, the output cannot be
// written, or ctx ends.
func (e *Engine) Batch(ctx context.Context, r io.Reader, w io.Writer, opts *BatchOptions) (BatchSummary, error) {
	var o BatchOptions
	if opts != nil {
		o = *opts
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.ProgressEvery <= 0 {
		o.ProgressEvery = 10_000
	}
	if o.MaxRejections <= 0 {
		o.MaxRejections = 1000
	}
	sum := BatchSummary{Reasons: map[string]int{}}

	cr := csv.NewReader(bufio.NewReaderSize(r, 1<<16))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return sum, errors.New("batch: empty input, a header row is needed")
		}
		return sum, fmt.Errorf("batch: %w", err)
	}
	cols, err := readHeader(head, o.Instrument)
	if err != nil {
		return sum, fmt.Errorf("batch: %w", err)
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	cw := csv.NewWriter(bw)
	if err := cw.Write([]string{"person_id", "pathway", "place_id", "distance_km", "rule"}); err != nil {
		return sum, err
	}
	cw.Flush()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	start := e.now() // one clock for the whole batch
	var load map[string]int
	if e.opts.Load != nil {
		if load, err = e.opts.Load.OpenCountsSince(ctx, start.Add(-7*24*time.Hour)); err != nil {
			return sum, fmt.Errorf("batch: load counts: %w", err)
		}
	}
	work := make(chan *batchChunk, o.Workers)
	// tokens bound the chunks in flight (read, not yet written), so memory
	// stays constant even when one slow chunk holds the ordered output.
	tokens := make(chan struct{}, 4*o.Workers)
	done := make(chan *batchChunk, o.Workers)
	var readErr error

	go func() { // reader
		defer close(work)
		seq := 0
		ch := &batchChunk{seq: seq}
		for {
			rec, err := cr.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			var pe *csv.ParseError
			if err != nil && !errors.As(err, &pe) {
				readErr = err
				break
			}
			row := batchRow{err: err}
			if err == nil {
				row.line, _ = cr.FieldPos(0)
				row.fields = slices.Clone(rec)
			} else {
				row.line = pe.StartLine
			}
			ch.rows = append(ch.rows, row)
			if len(ch.rows) == chunkRows {
				select {
				case tokens <- struct{}{}:
				case <-ctx.Done():
					return
				}
				select {
				case work <- ch:
				case <-ctx.Done():
					return
				}
				seq++
				ch = &batchChunk{seq: seq}
			}
		}
		if len(ch.rows) > 0 {
			select {
			case tokens <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case work <- ch:
			case <-ctx.Done():
			}
		}
	}()

	var wg sync.WaitGroup
	for range o.Workers {
		wg.Go(func() {
			bp := e.newBatchWorker(cols, o.Instrument, start, load)
			for ch := range work {
				bp.process(ctx, ch)
				select {
				case done <- ch:
				case <-ctx.Done():
					return
				}
			}
		})
	}
	go func() { wg.Wait(); close(done) }()

	pending := map[int]*batchChunk{}
	next, lastProgress := 0, 0
	var werr error
	for ch := range done {
		pending[ch.seq] = ch
		for {
			c, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			<-tokens
			if werr == nil {
				if _, err := bw.Write(c.out); err != nil {
					werr = err
					cancel()
				}
			}
			sum.Read += c.read
			sum.Referred += c.referred
			sum.Rows += c.nrows
			for _, re := range c.rejected {
				sum.Rejected++
				sum.Reasons[re.Reason]++
				if len(sum.Rejections) < o.MaxRejections {
					sum.Rejections = append(sum.Rejections, *re)
				}
			}
			if o.Progress != nil && sum.Read-lastProgress >= o.ProgressEvery {
				lastProgress = sum.Read
				o.Progress(sum)
			}
		}
	}
	if werr == nil {
		werr = bw.Flush()
	}
	if o.Progress != nil {
		o.Progress(sum)
	}
	switch {
	case werr != nil:
		return sum, fmt.Errorf("batch: write: %w", werr)
	case readErr != nil:
		return sum, fmt.Errorf("batch: read: %w", readErr)
	case ctx.Err() != nil:
		return sum, ctx.Err()
	}
	return sum, nil
}

// batchWorker holds one worker's reusable state.
type batchWorker struct {
	e       *Engine
	cols    batchColumns
	inst    *assessment.Instrument
	answers *assessment.AnswerSet
	clock   batchClock
}

func (e *Engine) newBatchWorker(cols batchColumns, inst *assessment.Instrument, at time.Time, load map[string]int) *batchWorker {
	w := &batchWorker{e: e, cols: cols, inst: inst, clock: batchClock{at: at, load: load, opens: map[*mediation.Place]float64{}}}
	if inst != nil {
		w.answers = inst.NewAnswers()
	}
	return w
}

func (w *batchWorker) process(ctx context.Context, ch *batchChunk) {
	ch.out = make([]byte, 0, len(ch.rows)*4*96) // about 4 pathways of 96 bytes a person
	for i := range ch.rows {
		row := &ch.rows[i]
		ch.read++
		req, rerr := w.parse(row)
		if rerr != nil {
			ch.rejected = append(ch.rejected, rerr)
			continue
		}
		p, err := w.e.refer(ctx, req, false, &w.clock)
		if err != nil {
			reason := "refer_failed"
			if errors.Is(err, ErrUnknownCommune) {
				reason = "unknown_commune"
			}
			ch.rejected = append(ch.rejected, rowErr(row.line, "", reason, err))
			continue
		}
		if len(p.Pathways) > 0 {
			ch.referred++
		}
		for _, pp := range p.Pathways {
			ch.out = appendCSVField(ch.out, req.Person.ID)
			ch.out = append(ch.out, ',')
			ch.out = appendCSVField(ch.out, string(pp.Pathway))
			ch.out = append(ch.out, ',')
			if len(pp.Places) > 0 {
				ch.out = appendCSVField(ch.out, pp.Places[0].ID)
				ch.out = append(ch.out, ',')
				ch.out = strconv.AppendFloat(ch.out, pp.Places[0].DistanceKm, 'f', 1, 64)
			} else {
				ch.out = append(ch.out, ',')
			}
			ch.out = append(ch.out, ',')
			ch.out = appendCSVField(ch.out, pp.Rule)
			ch.out = append(ch.out, '\n')
			ch.nrows++
		}
	}
	ch.rows = nil // let the input go before the chunk waits for its turn
}

// appendCSVField appends s quoted as encoding/csv would.
func appendCSVField(b []byte, s string) []byte {
	if !strings.ContainsAny(s, ",\"\r\n") && (s == "" || (s[0] != ' ' && s[0] != '\t')) {
		return append(b, s...)
	}
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, s[i])
	}
	return append(b, '"')
}

func (w *batchWorker) field(row *batchRow, i int) string {
	if i < 0 || i >= len(row.fields) {
		return ""
	}
	return strings.TrimSpace(row.fields[i])
}

// parse turns a row into a request, or says what is wrong with it.
func (w *batchWorker) parse(row *batchRow) (Request, *RowError) {
	var req Request
	if row.err != nil {
		return req, rowErr(row.line, "", "csv_syntax", row.err)
	}
	c := &w.cols
	if len(row.fields) < c.width {
		return req, rowErr(row.line, "", "missing_columns", fmt.Errorf("%d field(s), the header has %d", len(row.fields), c.width))
	}
	id := w.field(row, c.person)
	if _, err := uuid.Parse(id); err != nil {
		return req, rowErr(row.line, ColPersonID, "bad_person_id", fmt.Errorf("%q is not a UUID (person ids are pseudonymous)", id))
	}
	req.Person.ID = id
	code := w.field(row, c.commune)
	com, ok := w.e.communes.Commune(code)
	if !ok {
		if byCP := w.e.communes.ByPostalCode(code); len(byCP) > 0 {
			com, ok = byCP[0], true // most populous commune of the postal code
		}
	}
	if !ok {
		return req, rowErr(row.line, ColCommune, "unknown_commune", fmt.Errorf("%q is neither an INSEE code nor a postal code", code))
	}
	req.Person.Commune = com.Code

	if lv := w.field(row, c.level); lv != "" {
		l := assessment.Level(lv)
		if !l.Valid() {
			return req, rowErr(row.line, ColLevel, "bad_level", fmt.Errorf("%q is not one of %v", lv, assessment.Levels()))
		}
		req.Assessment = assessment.Result{Instrument: "batch", Level: l}
	} else if ans := w.field(row, c.answers); ans != "" && w.inst != nil {
		a, err := w.inst.DecodeAnswers([]byte(ans))
		if err != nil {
			return req, rowErr(row.line, ColAnswers, "bad_answers", err)
		}
		if req.Assessment, err = w.inst.Score(a); err != nil {
			return req, rowErr(row.line, ColAnswers, "bad_answers", err)
		}
	} else {
		col := ColLevel
		if c.level < 0 {
			col = ColAnswers
		}
		return req, rowErr(row.line, col, "no_assessment", errors.New("empty: a level or answers are needed"))
	}

	if ab := w.field(row, c.age); ab != "" {
		if !slices.Contains(AgeBands(), AgeBand(ab)) {
			return req, rowErr(row.line, ColAgeBand, "bad_age_band", fmt.Errorf("%q is not one of %v", ab, AgeBands()))
		}
		req.Person.AgeBand = AgeBand(ab)
	}
	for _, f := range mediation.SplitValues(w.field(row, c.flags)) {
		switch {
		case slices.Contains(Constraints(), Constraint(f)):
			req.Person.Constraints = append(req.Person.Constraints, Constraint(f))
		case slices.Contains(batchFlags(), assessment.Flag(f)):
			if !req.Assessment.HasFlag(assessment.Flag(f)) {
				req.Assessment.Flags = append(req.Assessment.Flags, assessment.Flag(f))
			}
		default:
			return req, rowErr(row.line, ColFlags, "bad_flag", fmt.Errorf("%q is neither an assessment flag %v nor a constraint %v", f, batchFlags(), Constraints()))
		}
	}
	for _, n := range mediation.SplitValues(w.field(row, c.needs)) {
		if !slices.Contains(Needs(), Need(n)) {
			return req, rowErr(row.line, ColNeeds, "bad_need", fmt.Errorf("%q is not one of %v", n, Needs()))
		}
		req.Person.Needs = append(req.Person.Needs, Need(n))
	}
	return req, nil
}

func batchFlags() []assessment.Flag {
	return []assessment.Flag{
		assessment.FlagNeedsProxy, assessment.FlagNoHelper, assessment.FlagLanguageBarrier,
		assessment.FlagVisualImpairment, assessment.FlagHearingImpairment, assessment.FlagReadingDifficulty,
		assessment.FlagLowHealthLiteracy, assessment.FlagMESNotActivated,
	}
}
