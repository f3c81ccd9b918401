package evaluation

// protect applies secondary (complementary) suppression to one column of a
// breakdown whose total is published elsewhere in the report: people by age
// band when the funnel gives all the people referred, ambassadors by région
// beside the number of active ambassadors, and so on.
//
// Primary masking (mask) hides each count from 1 to th-1. Alone it does not
// protect a breakdown: with the total shown, a single masked cell is the
// total minus the cells shown. So while the masked cells of the column are
// fewer than two, or add up to fewer than th people, the smallest shown
// non-zero cell is masked too (the first in row order on a tie). The rule
// only ever masks more; it never shows a cell that primary masking hid.
//
// cells and raw are the same column: cells[i] is the published Count of
// row i, raw[i] its true value. It returns the rows it masked.
func protect(cells []*Count, raw []int64, th int) []int {
	if th <= 1 {
		return nil
	}
	var (
		hidden int
		sum    int64
		added  []int
	)
	for i, c := range cells {
		if c.Masked {
			hidden++
			sum += raw[i]
		}
	}
	for hidden > 0 && (hidden < 2 || sum < int64(th)) {
		pick := -1
		for i, c := range cells {
			if c.Masked || raw[i] == 0 {
				continue
			}
			if pick < 0 || raw[i] < raw[pick] {
				pick = i
			}
		}
		if pick < 0 {
			break // every non-zero cell is already masked
		}
		*cells[pick] = Count{Masked: true}
		hidden++
		sum += raw[pick]
		added = append(added, pick)
	}
	return added
}

// protectKeyCounts protects the one column of a KeyCount breakdown; raw
// gives each row's true count by key.
func protectKeyCounts(rows []KeyCount, raw map[string]int64, th int) {
	cells := make([]*Count, len(rows))
	vals := make([]int64, len(rows))
	for i := range rows {
		cells[i] = &rows[i].Count
		vals[i] = raw[rows[i].Key]
	}
	protect(cells, vals, th)
}

// protectFunnels protects each step of a funnel breakdown (by pathway, by
// place) as its own column, since the report's funnel publishes each step's
// total.
func protectFunnels(rows []FunnelRow, raw func(key string) *funnelCounts, th int) {
	steps := []func(f *Funnel) *Count{
		func(f *Funnel) *Count { return &f.Proposed },
		func(f *Funnel) *Count { return &f.Accepted },
		func(f *Funnel) *Count { return &f.Scheduled },
		func(f *Funnel) *Count { return &f.Attended },
		func(f *Funnel) *Count { return &f.Completed },
	}
	for s, step := range steps {
		cells := make([]*Count, len(rows))
		vals := make([]int64, len(rows))
		for i := range rows {
			cells[i] = step(&rows[i].Funnel)
			vals[i] = raw(rows[i].Key)[s]
		}
		protect(cells, vals, th)
	}
}

// protectEquity protects each column of an equity table; a rate whose
// referred or attended count is masked is masked too.
func protectEquity(rows []EquityRow, raw []*equityCounts, th int) {
	cols := []struct {
		cell func(r *EquityRow) *Count
		val  func(e *equityCounts) int64
	}{
		{func(r *EquityRow) *Count { return &r.Referred }, func(e *equityCounts) int64 { return e.referred }},
		{func(r *EquityRow) *Count { return &r.Attended }, func(e *equityCounts) int64 { return e.attended }},
		{func(r *EquityRow) *Count { return &r.Completed }, func(e *equityCounts) int64 { return e.completed }},
		{func(r *EquityRow) *Count { return &r.Accompaniments }, func(e *equityCounts) int64 { return e.accompaniments }},
		{func(r *EquityRow) *Count { return &r.Participants }, func(e *equityCounts) int64 { return e.participants }},
	}
	for _, col := range cols {
		cells := make([]*Count, len(rows))
		vals := make([]int64, len(rows))
		for i := range rows {
			cells[i] = col.cell(&rows[i])
			vals[i] = col.val(raw[i])
		}
		protect(cells, vals, th)
	}
	for i := range rows {
		if (rows[i].Referred.Masked || rows[i].Attended.Masked) && !rows[i].AttendanceRate.Undefined {
			rows[i].AttendanceRate = Measure{Masked: true}
		}
	}
}
