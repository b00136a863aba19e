package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/BurntSushi/toml"
)

// Config is the kiosk's configuration. kiosk.example.toml documents every
// option; a missing file means the demo defaults.
type Config struct {
	Mode    string      `toml:"mode"`     // "demo" (default) or "production"
	KioskID string      `toml:"kiosk_id"` // written into every audit record
	DataDir string      `toml:"data_dir"` // store, key file and log live here
	Store   StoreConfig `toml:"store"`
	Log     LogConfig   `toml:"log"`
	UI      UIConfig    `toml:"ui"`
}

// StoreConfig chooses the storage engine.
type StoreConfig struct {
	Engine  string `toml:"engine"`   // "bbolt" (only engine so far)
	Path    string `toml:"path"`     // bbolt file; relative paths are under data_dir
	KeyFile string `toml:"key_file"` // encryption key file, created 0600 on first run
}

// LogConfig says where logs go; never to the terminal the UI owns.
type LogConfig struct {
	File  string `toml:"file"`
	Level string `toml:"level"` // debug, info, warn, error
}

// UIConfig holds kiosk behaviour settings.
type UIConfig struct {
	IdleTimeout   Duration `toml:"idle_timeout"`
	IdleCountdown Duration `toml:"idle_countdown"`
	AllowQuit     bool     `toml:"allow_quit"` // ctrl+c quits; for development only
}

// Duration reads "120s"-style values from TOML.
type Duration struct{ time.Duration }

// UnmarshalText parses a Go duration string.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("bad duration %q: %w", b, err)
	}
	d.Duration = v
	return nil
}

// DefaultConfig is the out-of-the-box demo configuration.
func DefaultConfig() Config {
	return Config{
		Mode:    "demo",
		KioskID: "DEMO-0001",
		DataDir: "data",
		Store:   StoreConfig{Engine: "bbolt", Path: "kiosk.db", KeyFile: "kiosk.key"},
		Log:     LogConfig{File: "kiosk.log", Level: "info"},
		UI: UIConfig{
			IdleTimeout:   Duration{120 * time.Second},
			IdleCountdown: Duration{20 * time.Second},
		},
	}
}

// LoadConfig reads path over the defaults. A missing file is fine only when
// the path was not asked for explicitly.
func LoadConfig(path string, explicit bool) (Config, error) {
	cfg := DefaultConfig()
	md, err := toml.DecodeFile(path, &cfg)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) && !explicit {
			return cfg, nil
		}
		return cfg, fmt.Errorf("config %s: %w", path, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return cfg, fmt.Errorf("config %s: unknown option %q", path, und[0].String())
	}
	return cfg, cfg.Validate()
}

// Validate checks option values.
func (c *Config) Validate() error {
	switch c.Mode {
	case "demo", "production":
	default:
		return fmt.Errorf("mode must be \"demo\" or \"production\", not %q", c.Mode)
	}
	if c.KioskID == "" {
		return errors.New("kiosk_id must be set")
	}
	if c.Store.Engine != "bbolt" {
		return fmt.Errorf("store.engine %q is not supported (bbolt)", c.Store.Engine)
	}
	if c.UI.IdleTimeout.Duration < 10*time.Second || c.UI.IdleCountdown.Duration < time.Second {
		return errors.New("ui.idle_timeout must be ≥ 10s and ui.idle_countdown ≥ 1s")
	}
	return nil
}

// Demo reports whether demo mode is on.
func (c *Config) Demo() bool { return c.Mode == "demo" }

// path resolves p under the data directory unless it is absolute.
func (c *Config) path(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(c.DataDir, p)
}
