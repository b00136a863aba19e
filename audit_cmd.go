package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"kiosk/storage"
)

// auditCommand is `kiosk audit verify [-checkpoints FILE]` and
// `kiosk audit export [-since T]`, for operators (docs/audit.md).
func auditCommand(ctx context.Context, cfg Config, args []string, out io.Writer) error {
	if len(args) == 0 {
		return errAuditUsage
	}
	fs := flag.NewFlagSet("kiosk audit "+args[0], flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var since, checkpoints string
	switch args[0] {
	case "verify":
		fs.StringVar(&checkpoints, "checkpoints", "", "file of checkpoints from an earlier export")
	case "export":
		fs.StringVar(&since, "since", "", "count the records since an RFC 3339 time or a duration ago (24h)")
	default:
		return errAuditUsage
	}
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() != 0 {
		return errAuditUsage
	}
	now := time.Now()
	from, err := parseSince(since, now)
	if err != nil {
		return err
	}
	st, err := openStore(cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	if args[0] == "export" {
		return auditExport(ctx, st, from, now, out)
	}
	return auditVerify(ctx, st, checkpoints, out)
}

var errAuditUsage = errors.New("usage: kiosk audit verify [-checkpoints FILE] | kiosk audit export [-since RFC3339|DURATION]")

// parseSince reads -since: empty (no limit), an RFC 3339 time, or a Go
// duration counted back from now.
func parseSince(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return time.Time{}, fmt.Errorf("-since %q: want an RFC 3339 time (2026-01-02T15:04:05+08:00) or a duration (24h)", s)
	}
	return now.Add(-d), nil
}

// auditVerify prints each chain's count and head, or its first break; it
// fails when any chain is broken.
func auditVerify(ctx context.Context, st *storage.Store, checkpoints string, out io.Writer) error {
	cps, err := readCheckpoints(st, checkpoints)
	if err != nil {
		return err
	}
	rep, err := st.VerifyAuditAgainst(ctx, cps)
	if err != nil {
		return err
	}
	broken := 0
	for _, c := range rep.Chains {
		if c.Break != nil {
			broken++
			fmt.Fprintf(out, "%-16s BROKEN  %d record(s), first break at %s\n", kioskLabel(c.Kiosk), c.Count, c.Break)
			continue
		}
		fmt.Fprintf(out, "%-16s ok      %d record(s), head seq %d hmac %s\n", kioskLabel(c.Kiosk), c.Count, c.Seq, c.MAC)
	}
	if broken > 0 {
		return fmt.Errorf("%w: %d of %d chain(s) broken", storage.ErrAuditBroken, broken, len(rep.Chains))
	}
	fmt.Fprintf(out, "%d chain(s) verified\n", len(rep.Chains))
	return nil
}

// auditExport writes one signed checkpoint per chain as JSON lines.
func auditExport(ctx context.Context, st *storage.Store, since, now time.Time, out io.Writer) error {
	cps, rep, err := st.AuditCheckpoints(ctx, since, now)
	if errors.Is(err, storage.ErrAuditBroken) {
		var b strings.Builder
		for _, c := range rep.Chains {
			if c.Break != nil {
				fmt.Fprintf(&b, "; %s: %s", kioskLabel(c.Kiosk), c.Break)
			}
		}
		return fmt.Errorf("no checkpoint exported: %w%s", err, b.String())
	}
	if err != nil {
		return err
	}
	enc := json.NewEncoder(out)
	for _, cp := range cps {
		if err := enc.Encode(cp); err != nil {
			return err
		}
	}
	return nil
}

// readCheckpoints reads an export file; every line must be a checkpoint of
// this store with a valid signature. The newest line per kiosk counts.
func readCheckpoints(st *storage.Store, path string) ([]storage.AuditCheckpoint, error) {
	if path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	newest := map[string]storage.AuditCheckpoint{}
	var order []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		cp, err := st.ParseAuditCheckpoint(line)
		if err != nil {
			return nil, fmt.Errorf("%s line %d: %w", path, n, err)
		}
		old, seen := newest[cp.Kiosk]
		if !seen {
			order = append(order, cp.Kiosk)
		}
		if !seen || cp.Seq >= old.Seq {
			newest[cp.Kiosk] = cp
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	cps := make([]storage.AuditCheckpoint, 0, len(order))
	for _, k := range order {
		cps = append(cps, newest[k])
	}
	return cps, nil
}

func kioskLabel(k string) string {
	if k == "" {
		return "(no kiosk id)"
	}
	return k
}
