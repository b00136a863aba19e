package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"kiosk/model/fleet"
	"kiosk/model/rules"
)

// fleetCommand is `kiosk fleet [--json]`: every kiosk that shares the
// store, online or offline, with its hall, version, devices, last use and
// last heartbeat (model/fleet). On bbolt it lists this kiosk only, and
// only while it is stopped (the file is locked while it runs).
func fleetCommand(ctx context.Context, cfg Config, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("kiosk fleet", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 {
		return errFleetUsage
	}
	st, err := openStore(cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	now := time.Now()
	ks, err := fleet.List(ctx, st.Fleet(0), now)
	if err != nil {
		return err
	}
	if *asJSON {
		return printFleetJSON(out, ks)
	}
	printFleet(out, ks, now)
	return nil
}

var errFleetUsage = errors.New("usage: kiosk fleet [--json]")

// fleetState is a kiosk's state word: online, offline, or stopped (offline
// after a clean shutdown).
func fleetState(k fleet.Kiosk) string {
	switch {
	case k.Online:
		return "online"
	case k.Stopped:
		return "stopped"
	}
	return "offline"
}

// fleetDevices sums up the devices: "ok", "unchecked", or those that
// failed ("sms,audio FAIL").
func fleetDevices(k fleet.Kiosk) string {
	if k.Devices == nil {
		return "unchecked"
	}
	bad := k.Failing()
	if len(bad) == 0 {
		return "ok"
	}
	roles := make([]string, len(bad))
	for i, d := range bad {
		roles[i] = d.Role
	}
	return strings.Join(roles, ",") + " FAIL"
}

// fleetTime is t in local time, "-" for none.
func fleetTime(t time.Time, layout string) string {
	if t.IsZero() {
		return "-"
	}
	return t.Local().Format(layout)
}

// printFleet writes the table. Everything from the store is sanitised
// (it is drawn on the operator's terminal) and padded by display width
// (halls are often Chinese).
func printFleet(w io.Writer, ks []fleet.Kiosk, now time.Time) {
	rows := [][]string{{"kiosk", "hall", "state", "version", "devices", "last activity", "last seen"}}
	for _, k := range ks {
		hall := rules.Sanitize(k.Hall)
		if hall == "" {
			hall = "-"
		}
		rows = append(rows, []string{rules.Sanitize(k.Kiosk), hall, fleetState(k), rules.Sanitize(k.Version),
			fleetDevices(k), fleetTime(k.LastActivity, "2006-01-02 15:04"), fleetTime(k.LastSeen, "2006-01-02 15:04:05")})
	}
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], ansi.StringWidth(c))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			if i > 0 {
				b.WriteString("  ")
			}
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-ansi.StringWidth(c)))
			}
		}
		fmt.Fprintln(w, b.String())
	}
	for _, k := range ks {
		for _, d := range k.Failing() {
			fmt.Fprintf(w, "%s %s (%s): %s\n", rules.Sanitize(k.Kiosk), d.Role, rules.Sanitize(d.Adapter), rules.Sanitize(d.Problem))
		}
	}
	on, off := fleet.Count(ks)
	fmt.Fprintf(w, "%d kiosk(s): %d online, %d offline (as of %s)\n", len(ks), on, off, now.Local().Format("2006-01-02 15:04:05"))
}

// fleetJSON is one kiosk of `kiosk fleet --json`.
type fleetJSON struct {
	Kiosk        string       `json:"kiosk"`
	Hall         string       `json:"hall"`
	Online       bool         `json:"online"`
	Stopped      bool         `json:"stopped"`
	Version      string       `json:"version"`
	Devices      []deviceJSON `json:"devices"`
	StartedAt    *time.Time   `json:"started_at"`
	LastActivity *time.Time   `json:"last_activity"`
	LastSeen     *time.Time   `json:"last_seen"`
}

type deviceJSON struct {
	Role      string `json:"role"`
	Adapter   string `json:"adapter"`
	Simulated bool   `json:"simulated"`
	OK        bool   `json:"ok"`
	Problem   string `json:"problem,omitempty"`
}

// printFleetJSON writes the kiosks as one JSON array (times RFC 3339, null
// when unknown; devices null until first checked).
func printFleetJSON(w io.Writer, ks []fleet.Kiosk) error {
	at := func(t time.Time) *time.Time {
		if t.IsZero() {
			return nil
		}
		return &t
	}
	out := make([]fleetJSON, len(ks))
	for i, k := range ks {
		out[i] = fleetJSON{Kiosk: k.Kiosk, Hall: k.Hall, Online: k.Online, Stopped: k.Stopped, Version: k.Version,
			StartedAt: at(k.StartedAt), LastActivity: at(k.LastActivity), LastSeen: at(k.LastSeen)}
		for _, d := range k.Devices {
			out[i].Devices = append(out[i].Devices, deviceJSON(d))
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
