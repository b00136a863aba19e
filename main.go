// Command kiosk is the self-service terminal of the provincial unified
// identity authentication platform (统一身份认证平台 · 单位服务自助终端).
//
//	kiosk [-config kiosk.toml]                 run the kiosk (demo mode by default)
//	kiosk [-config …] registry import FILE.csv  load a business-registry export
//	kiosk [-config …] devices check             list each configured device and whether it answers
//	kiosk [-config …] outbox list STATE         SMS outbox: pending, sent or dead (masked numbers)
//	kiosk [-config …] outbox retry ID           queue a dead message again
//	kiosk [-config …] staff add|disable|reset-password|list  staff accounts
//	kiosk [-config …] fleet [--json]            the kiosks sharing the store, online and offline
//	kiosk version
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
)

var version = "dev"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kiosk", flag.ContinueOnError)
	fs.SetOutput(stderr)
	configPath := fs.String("config", "kiosk.toml", "configuration file (see kiosk.example.toml)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	explicit := false
	fs.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "config" })
	cfg, err := LoadConfig(*configPath, explicit)
	if err != nil {
		fmt.Fprintln(stderr, "kiosk:", err)
		return 2
	}
	rest := fs.Args()
	ctx := context.Background()
	switch {
	case len(rest) == 0:
		err = runKiosk(ctx, cfg)
	case rest[0] == "version":
		fmt.Fprintln(stdout, "kiosk", version)
		return 0
	case len(rest) == 2 && rest[0] == "devices" && rest[1] == "check":
		err = devicesCheck(ctx, cfg, stdout)
	case len(rest) == 3 && rest[0] == "outbox" && rest[1] == "list":
		err = outboxList(ctx, cfg, rest[2], stdout)
	case len(rest) == 3 && rest[0] == "outbox" && rest[1] == "retry":
		err = outboxRetry(ctx, cfg, rest[2], stdout)
	case len(rest) == 3 && rest[0] == "registry" && rest[1] == "import":
		err = importRegistry(ctx, cfg, rest[2], stdout)
	case rest[0] == "audit":
		err = auditCommand(ctx, cfg, rest[1:], stdout)
	case rest[0] == "staff":
		err = staffCommand(ctx, cfg, rest[1:], stdout, stderr)
	case rest[0] == "fleet":
		err = fleetCommand(ctx, cfg, rest[1:], stdout)
	default:
		fmt.Fprintln(stderr, "usage: kiosk [-config FILE] [devices check | outbox list pending|sent|dead | outbox retry ID | registry import FILE.csv | staff add|disable|reset-password|list | fleet [--json] | version]")
		return 2
	}
	if err != nil {
		fmt.Fprintln(stderr, "kiosk:", err)
		return 1
	}
	return 0
}
