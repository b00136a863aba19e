// Package registry loads the business registry (工商信息) the kiosk checks
// enterprises against: a CSV format with a tolerant, line-numbered parser,
// an importer into the store, a model.Registry adapter over the store, and
// the demo seeding use case.
package registry

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"kiosk/model"
)

// Column names of the registry CSV, in the order WriteCSV writes them.
const (
	ColUSCC              = "uscc"
	ColName              = "name"
	ColLegalType         = "legal_type"
	ColRepName           = "rep_name"
	ColRepIDType         = "rep_id_type"
	ColRepIDNumber       = "rep_id_number"
	ColRepIDPeriod       = "rep_id_period"
	ColRepIDFrom         = "rep_id_from"
	ColRepIDTo           = "rep_id_to"
	ColRepPhone          = "rep_phone"
	ColRegisteredAddress = "registered_address"
	ColRegisteredCapital = "registered_capital"
	ColRegisteredDate    = "registered_date"
	ColBusinessScope     = "business_scope"
	ColCodeType          = "code_type"
	ColIndustry          = "industry"
	ColApprovalDate      = "approval_date"
	ColApprovalAuthority = "approval_authority"
	ColRegistryStatus    = "registry_status"
	ColEstablishedDate   = "established_date"
	ColElectronicLicense = "electronic_license"
)

// Columns lists every known column in canonical order.
var Columns = []string{
	ColUSCC, ColName, ColLegalType, ColRepName, ColRepIDType, ColRepIDNumber,
	ColRepIDPeriod, ColRepIDFrom, ColRepIDTo, ColRepPhone,
	ColRegisteredAddress, ColRegisteredCapital, ColRegisteredDate,
	ColBusinessScope, ColCodeType, ColIndustry, ColApprovalDate,
	ColApprovalAuthority, ColRegistryStatus, ColEstablishedDate,
	ColElectronicLicense,
}

// RequiredColumns must appear in the header; the others may be left out and
// then read as empty (rep_id_type then defaults to 居民身份证).
var RequiredColumns = []string{
	ColUSCC, ColName, ColLegalType, ColRepName, ColRepIDNumber,
	ColRepIDPeriod, ColRepIDFrom, ColRepIDTo,
}

// DateLayout is the only date format the CSV accepts and writes.
const DateLayout = "2006-01-02"

// RowError is a problem with one data row. Line is the 1-based line of the
// file where the row starts (the header is line 1); Column is empty when the
// problem is the row as a whole.
type RowError struct {
	Line   int
	Column string
	Err    error
}

func (e RowError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("line %d: %v", e.Line, e.Err)
	}
	return fmt.Sprintf("line %d: %s: %v", e.Line, e.Column, e.Err)
}

func (e RowError) Unwrap() error { return e.Err }

var bom = []byte{0xEF, 0xBB, 0xBF}

// ParseCSV reads a registry CSV and validates each row against the domain
// rules as of now. Bad rows do not stop the parse: they are skipped and
// reported as RowErrors (every problem of the row, with its line). The
// error result is only for a file that cannot be read as a registry at all:
// an I/O failure, no header, or a header missing required columns.
//
// A USCC that appears twice is kept on its first line and reported on the
// later ones.
func ParseCSV(r io.Reader, now time.Time) ([]model.RegistryRecord, []RowError, error) {
	br := bufio.NewReader(r)
	if head, err := br.Peek(len(bom)); err == nil && bytes.Equal(head, bom) {
		_, _ = br.Discard(len(bom))
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1 // checked per row so a short row is a row error

	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil, errors.New("registry csv: empty file, no header row")
		}
		return nil, nil, fmt.Errorf("registry csv: header: %w", err)
	}
	idx, err := headerIndex(header)
	if err != nil {
		return nil, nil, err
	}

	var (
		recs     []model.RegistryRecord
		rowErrs  []RowError
		firstAt  = map[string]int{} // USCC → line it was first accepted on
		nHeaders = len(header)
	)
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return recs, rowErrs, fmt.Errorf("registry csv: %w", err)
			}
			rowErrs = append(rowErrs, RowError{Line: pe.StartLine, Err: fmt.Errorf("malformed csv: %w", pe.Err)})
			continue
		}
		line, _ := cr.FieldPos(0)
		if len(row) != nHeaders {
			rowErrs = append(rowErrs, RowError{Line: line,
				Err: fmt.Errorf("row has %d fields, header has %d", len(row), nHeaders)})
			continue
		}
		rec, errs := parseRow(func(col string) string {
			if i, ok := idx[col]; ok {
				return row[i]
			}
			return ""
		}, now)
		if len(errs) > 0 {
			for _, fe := range errs {
				rowErrs = append(rowErrs, RowError{Line: line, Column: fe.col, Err: fe.err})
			}
			continue
		}
		if first, dup := firstAt[rec.USCC]; dup {
			rowErrs = append(rowErrs, RowError{Line: line, Column: ColUSCC,
				Err: fmt.Errorf("duplicate uscc, first on line %d", first)})
			continue
		}
		firstAt[rec.USCC] = line
		recs = append(recs, rec)
	}
	return recs, rowErrs, nil
}

// headerIndex maps known column names (trimmed, case-insensitive) to their
// position, ignoring unknown columns.
func headerIndex(header []string) (map[string]int, error) {
	known := make(map[string]bool, len(Columns))
	for _, c := range Columns {
		known[c] = true
	}
	idx := make(map[string]int, len(Columns))
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		if !known[name] {
			continue
		}
		if _, dup := idx[name]; dup {
			return nil, fmt.Errorf("registry csv: header names column %q twice", name)
		}
		idx[name] = i
	}
	var missing []string
	for _, c := range RequiredColumns {
		if _, ok := idx[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("registry csv: header lacks required column(s): %s", strings.Join(missing, ", "))
	}
	return idx, nil
}

// WriteCSV writes records in the canonical format: UTF-8 without BOM, every
// column of Columns, dates as YYYY-MM-DD and empty for the zero time.
func WriteCSV(w io.Writer, recs []model.RegistryRecord) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(Columns); err != nil {
		return err
	}
	for _, r := range recs {
		if err := cw.Write(recordRow(r)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func recordRow(r model.RegistryRecord) []string {
	x := r.Extended
	return []string{
		r.USCC, r.Name, r.LegalType, r.LegalRep.Name, r.LegalRep.ID.Type,
		r.LegalRep.ID.Number, string(r.LegalRep.ID.Period),
		formatDate(r.LegalRep.ID.ValidFrom), formatDate(r.LegalRep.ID.ValidTo), r.Phone,
		x.RegisteredAddress, x.RegisteredCapital, formatDate(x.RegisteredDate),
		x.BusinessScope, x.CodeType, x.Industry, formatDate(x.ApprovalDate),
		x.ApprovalAuthority, x.RegistryStatus, formatDate(x.EstablishedDate),
		x.ElectronicLicense,
	}
}

func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(DateLayout)
}
