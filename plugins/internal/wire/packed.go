package wire

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"unsafe"

	"github.com/passerelle-sante/passerelle/mediation"
)

// The packed encoding of a batch of places (PlaceBatch.packed).
//
// A Place message per place costs a message header per field and, on
// decoding, one allocation per string. A packed batch is one buffer that
// the host converts to a single string, every decoded text being a slice
// of it; and the values that repeat from place to place (enumeration
// values, communes, postal codes, dates, sources) are sent once per batch
// and then referred to by number.
//
// Layout: a version byte (packedVersion), then each place in turn, its
// fields in the order of packPlace. Numbers are unsigned varints, except
// the row of a provenance (signed varint) and coordinates (IEEE 754
// float64, little-endian, 8 bytes). Two kinds of strings:
//
//   - text: length, then the bytes;
//   - symbol: 0 then a text, which gets the next number of the batch's
//     table (from 1); or the number of a symbol sent before in the batch.
//
// A list is its length, then its elements.
const packedVersion = 1

// minPackedPlace is the fewest bytes a packed place takes (every field
// empty): it bounds the count a batch may claim.
const minPackedPlace = 11 + 6 + 16 + 14 + 1

// ErrPacked says a packed batch does not decode.
var ErrPacked = errors.New("packed batch does not decode")

// Packer encodes places into a packed batch. The zero value is ready;
// Reset starts a new batch in the same buffer.
type Packer struct {
	buf   []byte
	table map[string]uint32
	syms  []string // the table's strings in number order, for undo
	count int
}

// Reset empties the packer for a new batch.
func (p *Packer) Reset() {
	if p.buf == nil {
		p.buf = make([]byte, 0, 64<<10)
	}
	p.buf = append(p.buf[:0], packedVersion)
	if p.table == nil {
		p.table = make(map[string]uint32, 256)
	}
	clear(p.table)
	p.syms = p.syms[:0]
	p.count = 0
}

// Len is the size of the batch so far, in bytes.
func (p *Packer) Len() int { return len(p.buf) }

// Count is the number of places in the batch.
func (p *Packer) Count() int { return p.count }

// Bytes returns the batch. It is valid until the next Reset.
func (p *Packer) Bytes() []byte { return p.buf }

// mark is where a batch stood before a place was added.
type mark struct{ size, syms, count int }

func (p *Packer) mark() mark { return mark{len(p.buf), len(p.syms), p.count} }

// undo takes the places added since m out of the batch again.
func (p *Packer) undo(m mark) {
	for _, s := range p.syms[m.syms:] {
		delete(p.table, s)
	}
	p.buf, p.syms, p.count = p.buf[:m.size], p.syms[:m.syms], m.count
}

func (p *Packer) uvarint(v uint64) { p.buf = binary.AppendUvarint(p.buf, v) }

func (p *Packer) text(s string) {
	p.uvarint(uint64(len(s)))
	p.buf = append(p.buf, s...)
}

func (p *Packer) sym(s string) {
	if n, ok := p.table[s]; ok {
		p.uvarint(uint64(n))
		return
	}
	p.syms = append(p.syms, s)
	p.table[s] = uint32(len(p.syms))
	p.buf = append(p.buf, 0)
	p.text(s)
}

func (p *Packer) float(f float64) {
	p.buf = binary.LittleEndian.AppendUint64(p.buf, math.Float64bits(f))
}

func packTexts(p *Packer, vs []string) {
	p.uvarint(uint64(len(vs)))
	for _, v := range vs {
		p.text(v)
	}
}

func packSyms[T ~string](p *Packer, vs []T) {
	p.uvarint(uint64(len(vs)))
	for _, v := range vs {
		p.sym(string(v))
	}
}

// Add appends one place to the batch.
func (p *Packer) Add(pl *mediation.Place) {
	if len(p.buf) == 0 {
		p.Reset()
	}
	p.text(pl.ID)
	p.text(pl.Pivot)
	p.text(pl.Name)
	p.sym(pl.Commune)
	p.sym(pl.PostalCode)
	p.sym(pl.INSEECode)
	p.text(pl.Address)
	p.text(pl.AddressComplement)
	p.float(pl.Latitude)
	p.float(pl.Longitude)
	packSyms(p, pl.Typology)
	p.text(pl.Phone)
	packTexts(p, pl.Emails)
	packTexts(p, pl.Websites)
	p.text(pl.Hours)
	p.text(pl.Summary)
	p.text(pl.Detail)
	p.sym(pl.Source)
	packSyms(p, pl.Itinerance)
	p.sym(pl.ParentStructure)
	p.sym(pl.UpdatedAt)
	packSyms(p, pl.Services)
	packSyms(p, pl.Publics)
	packSyms(p, pl.SpecificSupport)
	packSyms(p, pl.Fees)
	packSyms(p, pl.Programs)
	packSyms(p, pl.Labels)
	packTexts(p, pl.OtherLabels)
	packSyms(p, pl.AccessModes)
	packSyms(p, pl.SupportModes)
	p.text(pl.Accessibility)
	p.text(pl.Booking)
	p.uvarint(uint64(len(pl.Provenance)))
	for _, pv := range pl.Provenance {
		p.sym(pv.Source)
		p.text(pv.SourceID)
		p.sym(pv.File)
		p.buf = binary.AppendVarint(p.buf, int64(pv.Row))
	}
	packSyms(p, pl.Flags)
	p.count++
}

// unpacker reads a packed batch. Every string it returns is a slice of
// s, so a batch costs one string allocation whatever its size.
type unpacker struct {
	s     string
	off   int
	table []string
	err   error
	place int    // index of the place being read, for errors
	field string // field being read, for errors
}

func (u *unpacker) fail(format string, args ...any) {
	if u.err == nil {
		u.err = fmt.Errorf("%w: place %d, %s, byte %d: %s", ErrPacked, u.place+1, u.field, u.off, fmt.Sprintf(format, args...))
	}
	u.off = len(u.s) // every later read fails fast and returns zero values
}

func (u *unpacker) uvarint() uint64 {
	var v uint64
	for shift := uint(0); shift < 64; shift += 7 {
		if u.off >= len(u.s) {
			u.fail("truncated")
			return 0
		}
		c := u.s[u.off]
		u.off++
		if c < 0x80 {
			if shift == 63 && c > 1 {
				break
			}
			return v | uint64(c)<<shift
		}
		v |= uint64(c&0x7f) << shift
	}
	u.fail("number overflows 64 bits")
	return 0
}

// length reads a count of items of at least one byte each.
func (u *unpacker) length() int {
	n := u.uvarint()
	if n > uint64(len(u.s)-u.off) {
		u.fail("length %d is more than the %d bytes left", n, len(u.s)-u.off)
		return 0
	}
	return int(n)
}

func (u *unpacker) text(field string) string {
	u.field = field
	n := u.length()
	s := u.s[u.off : u.off+n]
	u.off += n
	return s
}

func (u *unpacker) sym(field string) string {
	u.field = field
	n := u.uvarint()
	if n == 0 {
		s := u.text(field)
		if u.err == nil {
			u.table = append(u.table, s)
		}
		return s
	}
	if n > uint64(len(u.table)) {
		u.fail("symbol %d is not defined (%d so far)", n, len(u.table))
		return ""
	}
	return u.table[n-1]
}

func (u *unpacker) float(field string) float64 {
	u.field = field
	if len(u.s)-u.off < 8 {
		u.fail("truncated")
		return 0
	}
	var v uint64
	for i := 7; i >= 0; i-- {
		v = v<<8 | uint64(u.s[u.off+i])
	}
	u.off += 8
	return math.Float64frombits(v)
}

// arena hands out the lists of a batch from a few large arrays instead of
// one allocation per list. Each list is capped, so appending to it never
// writes over its neighbour.
type arena[T any] struct{ free []T }

func (a *arena[T]) take(n int) []T {
	if n > cap(a.free)-len(a.free) {
		a.free = make([]T, 0, max(n, 512))
	}
	s := a.free[len(a.free) : len(a.free)+n : len(a.free)+n]
	a.free = a.free[:len(a.free)+n]
	return s
}

func unpackTexts(u *unpacker, a *arena[string], field string) []string {
	u.field = field
	n := u.length()
	if n == 0 {
		return nil
	}
	out := a.take(n)
	for i := range out {
		out[i] = u.text(field)
	}
	return out
}

func unpackSyms[T ~string](u *unpacker, a *arena[T], field string) []T {
	u.field = field
	n := u.length()
	if n == 0 {
		return nil
	}
	out := a.take(n)
	for i := range out {
		out[i] = T(u.sym(field))
	}
	return out
}

// arenas are the list arenas of one batch.
type arenas struct {
	strs     arena[string]
	itin     arena[mediation.Itinerance]
	services arena[mediation.Service]
	publics  arena[mediation.Public]
	support  arena[mediation.SpecificSupport]
	fees     arena[mediation.Fee]
	programs arena[mediation.Program]
	labels   arena[mediation.Label]
	access   arena[mediation.AccessMode]
	modes    arena[mediation.SupportMode]
	flags    arena[mediation.RepairFlag]
	prov     arena[mediation.Provenance]
}

// Unpack decodes a packed batch of count places. Values are taken as
// sent (the host validates places before it trusts them); bytes that do
// not decode give an ErrPacked error naming the place, the field and the
// byte offset.
func Unpack(b []byte, count int) ([]mediation.Place, error) {
	return UnpackInto(nil, b, count)
}

// UnpackInto is Unpack that decodes into dst's array when it is large
// enough, so a stream reuses one array of places from batch to batch.
// Only that array is reused: the strings and lists of the places are new,
// so places copied out of it stay valid.
func UnpackInto(dst []mediation.Place, b []byte, count int) ([]mediation.Place, error) {
	return unpack(dst, b, count, false)
}

// unpackOwned is UnpackInto for a buffer nobody else holds or will change
// (the bytes field of a message just received): the places' strings point
// into it instead of into a copy.
func unpackOwned(dst []mediation.Place, b []byte, count int) ([]mediation.Place, error) {
	return unpack(dst, b, count, true)
}

func unpack(dst []mediation.Place, b []byte, count int, owned bool) ([]mediation.Place, error) {
	if len(b) == 0 {
		if count == 0 {
			return dst[:0], nil
		}
		return nil, fmt.Errorf("%w: %d places announced, no bytes", ErrPacked, count)
	}
	if b[0] != packedVersion {
		return nil, fmt.Errorf("%w: version %d, this host reads version %d", ErrPacked, b[0], packedVersion)
	}
	if count < 0 || count > (len(b)-1)/minPackedPlace {
		return nil, fmt.Errorf("%w: %d places announced in %d bytes", ErrPacked, count, len(b))
	}
	u := &unpacker{off: 1}
	if owned {
		u.s = unsafe.String(unsafe.SliceData(b), len(b))
	} else {
		u.s = string(b)
	}
	var a arenas
	out := dst[:0]
	if cap(out) < count {
		out = make([]mediation.Place, count)
	}
	out = out[:count]
	for i := range out {
		u.place = i
		out[i] = mediation.Place{}
		unpackPlace(u, &a, &out[i])
		if u.err != nil {
			return nil, u.err
		}
	}
	if u.off != len(u.s) {
		u.field = "end"
		u.fail("%d bytes after the last place", len(u.s)-u.off)
		return nil, u.err
	}
	return out, nil
}

func unpackPlace(u *unpacker, a *arenas, pl *mediation.Place) {
	pl.ID = u.text("id")
	pl.Pivot = u.text("pivot")
	pl.Name = u.text("nom")
	pl.Commune = u.sym("commune")
	pl.PostalCode = u.sym("code_postal")
	pl.INSEECode = u.sym("code_insee")
	pl.Address = u.text("adresse")
	pl.AddressComplement = u.text("complement_adresse")
	pl.Latitude = u.float("latitude")
	pl.Longitude = u.float("longitude")
	pl.Typology = unpackSyms(u, &a.strs, "typologie")
	pl.Phone = u.text("telephone")
	pl.Emails = unpackTexts(u, &a.strs, "courriels")
	pl.Websites = unpackTexts(u, &a.strs, "site_web")
	pl.Hours = u.text("horaires")
	pl.Summary = u.text("presentation_resume")
	pl.Detail = u.text("presentation_detail")
	pl.Source = u.sym("source")
	pl.Itinerance = unpackSyms(u, &a.itin, "itinerance")
	pl.ParentStructure = u.sym("structure_parente")
	pl.UpdatedAt = u.sym("date_maj")
	pl.Services = unpackSyms(u, &a.services, "services")
	pl.Publics = unpackSyms(u, &a.publics, "publics_specifiquement_adresses")
	pl.SpecificSupport = unpackSyms(u, &a.support, "prise_en_charge_specifique")
	pl.Fees = unpackSyms(u, &a.fees, "frais_a_charge")
	pl.Programs = unpackSyms(u, &a.programs, "dispositif_programmes_nationaux")
	pl.Labels = unpackSyms(u, &a.labels, "formations_labels")
	pl.OtherLabels = unpackTexts(u, &a.strs, "autres_formations_labels")
	pl.AccessModes = unpackSyms(u, &a.access, "modalites_acces")
	pl.SupportModes = unpackSyms(u, &a.modes, "modalites_accompagnement")
	pl.Accessibility = u.text("fiche_acces_libre")
	pl.Booking = u.text("prise_rdv")
	u.field = "provenance"
	if n := u.length(); n > 0 {
		pl.Provenance = a.prov.take(n)
		for i := range pl.Provenance {
			pv := &pl.Provenance[i]
			pv.Source = u.sym("provenance.source")
			pv.SourceID = u.text("provenance.source_id")
			pv.File = u.sym("provenance.file")
			pv.Row = u.varint("provenance.row")
		}
	}
	pl.Flags = unpackSyms(u, &a.flags, "flags")
}

func (u *unpacker) varint(field string) int {
	u.field = field
	x := u.uvarint()
	v := int64(x >> 1)
	if x&1 != 0 {
		v = ^v
	}
	return int(v)
}
