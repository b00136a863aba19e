package main

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"kiosk/model"
	"kiosk/model/captcha"
	"kiosk/model/i18n"
	"kiosk/screens/kit"
)

// Config is the kiosk's configuration. kiosk.example.toml documents every
// option; a missing file means the demo defaults.
type Config struct {
	Mode    string        `toml:"mode"`     // "demo" (default) or "production"
	KioskID string        `toml:"kiosk_id"` // written into every audit record
	Hall    string        `toml:"hall"`     // the service hall, in the fleet's presence (HallName)
	DataDir string        `toml:"data_dir"` // store, key file and log live here
	Store   StoreConfig   `toml:"store"`
	Log     LogConfig     `toml:"log"`
	UI      UIConfig      `toml:"ui"`
	Camera  CameraConfig  `toml:"camera"`
	Face    FaceConfig    `toml:"face"`
	SMS     SMSConfig     `toml:"sms"`
	Audio   AudioConfig   `toml:"audio"`
	DemoSet DemoConfig    `toml:"demo"` // demo-only settings
	Appeals AppealsConfig `toml:"appeals"`
	USB     USBConfig     `toml:"usb"`
	Staff   StaffConfig   `toml:"staff"`
}

// StaffConfig is the staff console's.
type StaffConfig struct {
	// Chord is the key chord that opens the staff login (kit.ParseChord):
	// one key with ctrl or alt ("ctrl+alt+s"), or a quick sequence of keys;
	// never a visible button.
	Chord string `toml:"chord"`
}

// AppealsConfig holds the settings of appeals (账号申诉).
type AppealsConfig struct {
	// TemplateURL is where the platform's website serves the 企业授权书
	// template; 下载模板 shows it as a QR code for a phone to open.
	TemplateURL string `toml:"template_url"`
	// PurgeAfter is how long the materials of a closed (approved or
	// rejected) appeal are kept after the decision before the housekeeper
	// deletes them; the appeal record itself stays.
	PurgeAfter Duration `toml:"purge_after"`
}

// USBConfig says where a visitor's USB stick appears.
type USBConfig struct {
	// Mount is the folder the system mounts a USB stick at (e.g. by a
	// udev rule or udisks); the file picker never leaves it. Empty: the
	// kiosk has no USB port for visitors.
	Mount string `toml:"mount"`
}

// DemoConfig holds settings only demo mode accepts.
type DemoConfig struct {
	// FixedCaptcha, when set, is the text of every picture captcha: for
	// scripted demonstrations and the tests that drive the real binary.
	// Production refuses it.
	FixedCaptcha string `toml:"fixed_captcha"`
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
	// KeepSent is how long a sent message (number and text) stays in the
	// outbox before the housekeeper deletes it.
	KeepSent Duration `toml:"keep_sent"`
}

// AudioConfig chooses the audio adapter.
type AudioConfig struct {
	Adapter string  `toml:"adapter"` // "auto" (demo only: portaudio, else silent), "portaudio" or "silent"
	Device  string  `toml:"device"`  // portaudio output device name; empty = default
	Volume  float64 `toml:"volume"`  // 0..1
}

// StoreConfig chooses the storage engine: "bbolt", one file for a kiosk
// alone, or "etcd", a cluster shared by the kiosks of a province (README,
// "A service hall with several kiosks").
type StoreConfig struct {
	Engine  string `toml:"engine"`   // "bbolt" (default) or "etcd"
	Path    string `toml:"path"`     // bbolt file; relative paths are under data_dir
	KeyFile string `toml:"key_file"` // encryption key file, created 0600 on first run; the same on every kiosk of one etcd store

	// etcd only.
	Endpoints      []string `toml:"endpoints"`       // client URLs of the members, https:// with TLS
	Prefix         string   `toml:"prefix"`          // every key lives under it; default "/kiosk/"
	CAFile         string   `toml:"ca_file"`         // CA that signed the members' certificates
	CertFile       string   `toml:"cert_file"`       // this kiosk's client certificate…
	CertKeyFile    string   `toml:"cert_key_file"`   // …and its key
	Username       string   `toml:"username"`        // etcd auth user, when auth is on
	PasswordFile   string   `toml:"password_file"`   // file holding that user's password
	DialTimeout    Duration `toml:"dial_timeout"`    // default 5s
	RequestTimeout Duration `toml:"request_timeout"` // one request; default 5s
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
		Store: StoreConfig{Engine: "bbolt", Path: "kiosk.db", KeyFile: "kiosk.key", Prefix: "/kiosk/",
			DialTimeout: Duration{5 * time.Second}, RequestTimeout: Duration{3 * time.Second}},
		Log: LogConfig{File: "kiosk.log", Level: "info"},
		UI: UIConfig{
			IdleTimeout:   Duration{120 * time.Second},
			IdleCountdown: Duration{20 * time.Second},
			Language:      string(i18n.Chinese),
		},
		Camera: CameraConfig{Adapter: "replay", Device: "/dev/video0", Width: 640, Height: 480},
		Face: FaceConfig{Adapter: "demo", AttemptTimeout: Duration{10 * time.Second},
			OverallTimeout: Duration{30 * time.Second}},
		SMS: SMSConfig{Adapter: "simulated", Port: "/dev/ttyUSB0", Baud: 115200,
			KeepSent: Duration{30 * 24 * time.Hour}},
		Audio: AudioConfig{Adapter: "auto", Volume: 0.8},
		Staff: StaffConfig{Chord: kit.DefaultStaffChord},
		Appeals: AppealsConfig{TemplateURL: "https://ids.example.gov.cn/templates/authorization_letter.docx",
			PurgeAfter: Duration{model.DefaultMaterialsPurgeAfter}},
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
	if err := c.validateStore(); err != nil {
		return err
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
	if _, err := kit.ParseChord(c.Staff.Chord); err != nil {
		return fmt.Errorf("staff.chord: %w", err)
	}
	if c.SMS.KeepSent.Duration < time.Hour {
		return errors.New("sms.keep_sent must be at least 1h")
	}
	if f := c.DemoSet.FixedCaptcha; f != "" && (len(f) < 4 || len(f) > 5 || strings.Trim(f, captcha.Alphabet) != "") {
		return fmt.Errorf("demo.fixed_captcha must be 4 or 5 characters of %s", captcha.Alphabet)
	}
	if err := c.validateAppeals(); err != nil {
		return err
	}
	if !c.Demo() {
		if err := c.validateProduction(); err != nil {
			return err
		}
	}
	return nil
}

// validateStore checks the engine and, for etcd, its endpoints and TLS.
func (c *Config) validateStore() error {
	s := c.Store
	switch s.Engine {
	case "bbolt":
		return nil
	case "etcd":
	default:
		return fmt.Errorf("store.engine %q is not supported (bbolt, etcd)", s.Engine)
	}
	if len(s.Endpoints) == 0 {
		return errors.New("store.endpoints must list the etcd members' client URLs when store.engine = \"etcd\"")
	}
	tls := s.CAFile != "" || s.CertFile != "" || s.CertKeyFile != ""
	for _, ep := range s.Endpoints {
		u, err := url.Parse(ep)
		if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
			return fmt.Errorf("store.endpoints: %q is not a URL such as https://10.0.0.11:2379", ep)
		}
		if tls != (u.Scheme == "https") {
			return fmt.Errorf("store.endpoints: %q must use https exactly when ca_file/cert_file are set", ep)
		}
	}
	if (s.CertFile == "") != (s.CertKeyFile == "") {
		return errors.New("store.cert_file and store.cert_key_file go together")
	}
	if (s.Username == "") != (s.PasswordFile == "") {
		return errors.New("store.username and store.password_file go together")
	}
	if !strings.HasPrefix(s.Prefix, "/") || !strings.HasSuffix(s.Prefix, "/") {
		return fmt.Errorf("store.prefix %q must start and end with /", s.Prefix)
	}
	if s.DialTimeout.Duration < 100*time.Millisecond || s.RequestTimeout.Duration < 100*time.Millisecond {
		return errors.New("store.dial_timeout and store.request_timeout must be at least 100ms")
	}
	if !c.Demo() && !tls {
		return errors.New("store.engine = \"etcd\" in production mode needs TLS (store.ca_file, store.cert_file, " +
			"store.cert_key_file): the kiosks' data would cross the network in clear")
	}
	if !c.Demo() && strings.TrimSpace(c.Hall) == "" {
		return errors.New("hall must be set when store.engine = \"etcd\" in production mode: the fleet list " +
			"(kiosk fleet, the staff console's 终端状态) names each kiosk's service hall")
	}
	return nil
}

// validateAppeals checks the template's address: a phone opens it, so it
// must be a full web address (https in production).
func (c *Config) validateAppeals() error {
	if c.Appeals.PurgeAfter.Duration < 24*time.Hour {
		return errors.New("appeals.purge_after must be at least 24h")
	}
	u, err := url.Parse(c.Appeals.TemplateURL)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("appeals.template_url %q must be a web address (https://…)", c.Appeals.TemplateURL)
	}
	if !c.Demo() && u.Scheme != "https" {
		return fmt.Errorf("appeals.template_url %q must use https in production mode", c.Appeals.TemplateURL)
	}
	return nil
}

// validateProduction holds the rules only production must follow.
func (c *Config) validateProduction() error {
	if c.DemoSet.FixedCaptcha != "" {
		return errors.New("demo.fixed_captcha is refused in production mode: every captcha would be the same; remove the option")
	}
	if c.UI.AllowQuit {
		return errors.New("ui.allow_quit = true is refused in production mode: a visitor could quit the kiosk with ctrl+c; remove the option")
	}
	// A copy of data_dir (a backup, a disk taken away) must not carry the
	// key that opens it.
	if inside, err := within(c.path(c.Store.KeyFile), c.DataDir); err != nil {
		return fmt.Errorf("store.key_file: %w", err)
	} else if inside {
		return fmt.Errorf("store.key_file %q lies inside data_dir %q, which is refused in production mode: "+
			"a backup of the data directory would carry its own key; set store.key_file to an absolute path outside it "+
			"(e.g. /etc/kiosk/kiosk.key, mode 0600)", c.path(c.Store.KeyFile), c.DataDir)
	}
	return nil
}

// within reports whether path is dir or lies under it, comparing absolute,
// cleaned paths with symbolic links resolved as far as they exist.
func within(path, dir string) (bool, error) {
	p, err := resolvePath(path)
	if err != nil {
		return false, err
	}
	d, err := resolvePath(dir)
	if err != nil {
		return false, err
	}
	rel, err := filepath.Rel(d, p)
	if err != nil {
		return false, nil
	}
	return rel == "." || (rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))), nil
}

// resolvePath makes p absolute and resolves the symbolic links of its
// longest existing ancestor (the rest may not exist yet).
func resolvePath(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	rest := ""
	for cur := abs; ; {
		if r, err := filepath.EvalSymlinks(cur); err == nil {
			return filepath.Join(r, rest), nil
		}
		parent := filepath.Dir(cur)
		if parent == cur {
			return abs, nil
		}
		rest = filepath.Join(filepath.Base(cur), rest)
		cur = parent
	}
}

// demoHall is the hall of a demo kiosk that names none.
const demoHall = "DEMO-HALL"

// HallName is the hall the kiosk reports in the fleet's presence: hall, or
// in demo mode DEMO-HALL when it is not set.
func (c *Config) HallName() string {
	if c.Hall == "" && c.Demo() {
		return demoHall
	}
	return c.Hall
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
	if !c.Demo() && c.Face.BaseURL != "" && !isHTTPS(c.Face.BaseURL) {
		return fmt.Errorf("face.base_url %q must be an https:// URL in production mode (names, ID numbers and faces are sent to it)", c.Face.BaseURL)
	}
	if c.Audio.Volume < 0 || c.Audio.Volume > 1 {
		return errors.New("audio.volume must be between 0 and 1")
	}
	return nil
}
