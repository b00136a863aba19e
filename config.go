package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/BurntSushi/toml"

	"kiosk/model/i18n"
)

// Config is the kiosk's configuration. kiosk.example.toml documents every
// option; a missing file means the demo defaults.
type Config struct {
	Mode    string       `toml:"mode"`     // "demo" (default) or "production"
	KioskID string       `toml:"kiosk_id"` // written into every audit record
	DataDir string       `toml:"data_dir"` // store, key file and log live here
	Store   StoreConfig  `toml:"store"`
	Log     LogConfig    `toml:"log"`
	UI      UIConfig     `toml:"ui"`
	Camera  CameraConfig `toml:"camera"`
	Face    FaceConfig   `toml:"face"`
	SMS     SMSConfig    `toml:"sms"`
	Audio   AudioConfig  `toml:"audio"`
}

// CameraConfig chooses the camera adapter.
type CameraConfig struct {
	Adapter   string `toml:"adapter"`    // "replay" (demo only) or "v4l2"
	Device    string `toml:"device"`     // v4l2 device node
	Width     int    `toml:"width"`      // requested capture size
	Height    int    `toml:"height"`     //
	ReplayDir string `toml:"replay_dir"` // replay: folder of JPEG/PNG frames; empty = built-in samples
}

// FaceConfig chooses the face-verification adapter.
type FaceConfig struct {
	Adapter        string   `toml:"adapter"`         // "demo" (demo only), "http" or "counter"
	BaseURL        string   `toml:"base_url"`        // http: the identity authority
	TokenFile      string   `toml:"token_file"`      // http: file holding the bearer token (0600)
	AttemptTimeout Duration `toml:"attempt_timeout"` // http: one request
	OverallTimeout Duration `toml:"overall_timeout"` // http: all retries together
}

// SMSConfig chooses the SMS adapter.
type SMSConfig struct {
	Adapter  string `toml:"adapter"`   // "simulated" (demo only) or "modem"
	Port     string `toml:"port"`      // modem: serial device
	Baud     int    `toml:"baud"`      // modem: line speed
	SMSC     string `toml:"smsc"`      // modem: service centre; empty uses the SIM's
	CheckPIN bool   `toml:"check_pin"` // modem: require the SIM to be unlocked
}

// AudioConfig chooses the audio adapter.
type AudioConfig struct {
	Adapter string  `toml:"adapter"` // "auto" (demo only: portaudio, else silent), "portaudio" or "silent"
	Device  string  `toml:"device"`  // portaudio output device name; empty = default
	Volume  float64 `toml:"volume"`  // 0..1
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
	// Language is the hall's interface language, the one each visit starts
	// in and returns to on idle and logout: "zh" (中文), "ko" (조선어) or
	// "en" (English).
	Language string `toml:"language"`
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
			Language:      string(i18n.Chinese),
		},
		Camera: CameraConfig{Adapter: "replay", Device: "/dev/video0", Width: 640, Height: 480},
		Face: FaceConfig{Adapter: "demo", AttemptTimeout: Duration{10 * time.Second},
			OverallTimeout: Duration{30 * time.Second}},
		SMS:   SMSConfig{Adapter: "simulated", Port: "/dev/ttyUSB0", Baud: 115200},
		Audio: AudioConfig{Adapter: "auto", Volume: 0.8},
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
	if err := c.validateDevices(); err != nil {
		return err
	}
	if c.UI.IdleTimeout.Duration < 10*time.Second || c.UI.IdleCountdown.Duration < time.Second {
		return errors.New("ui.idle_timeout must be ≥ 10s and ui.idle_countdown ≥ 1s")
	}
	if _, ok := i18n.Parse(c.UI.Language); !ok {
		return fmt.Errorf("ui.language %q is not one of %v", c.UI.Language, i18n.Langs)
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

// simulatedAdapters are the adapters that only demo mode may use.
var simulatedAdapters = map[string]bool{"camera.replay": true, "face.demo": true, "sms.simulated": true, "audio.auto": true}

// validateDevices checks adapter names and refuses simulations outside demo
// mode: production never falls back to a simulation.
func (c *Config) validateDevices() error {
	known := map[string][]string{
		"camera": {"replay", "v4l2"}, "face": {"demo", "http", "counter"},
		"sms": {"simulated", "modem"}, "audio": {"auto", "portaudio", "silent"},
	}
	chosen := map[string]string{"camera": c.Camera.Adapter, "face": c.Face.Adapter, "sms": c.SMS.Adapter, "audio": c.Audio.Adapter}
	for _, dev := range []string{"camera", "face", "sms", "audio"} {
		a := chosen[dev]
		if !slices.Contains(known[dev], a) {
			return fmt.Errorf("%s.adapter %q is not one of %v", dev, a, known[dev])
		}
		if !c.Demo() && simulatedAdapters[dev+"."+a] {
			return fmt.Errorf("%s.adapter %q is a simulation and is refused in production mode; configure the real device", dev, a)
		}
	}
	if c.Face.Adapter == "http" && (c.Face.BaseURL == "" || c.Face.TokenFile == "") {
		return errors.New("face.adapter \"http\" needs face.base_url and face.token_file")
	}
	if c.Audio.Volume < 0 || c.Audio.Volume > 1 {
		return errors.New("audio.volume must be between 0 and 1")
	}
	return nil
}
