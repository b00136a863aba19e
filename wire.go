package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kiosk/assets"
	"kiosk/devices/sms"
	"kiosk/model"
	"kiosk/model/account"
	"kiosk/model/captcha"
	"kiosk/model/i18n"
	"kiosk/model/pwhash"
	"kiosk/model/registry"
	"kiosk/model/smscode"
	"kiosk/model/staffdesk"
	"kiosk/screens"
	"kiosk/storage"
	"kiosk/storage/kv"
)

// openLog opens the log file; the terminal belongs to the UI.
func openLog(cfg Config) (*slog.Logger, *os.File, error) {
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, nil, fmt.Errorf("data dir: %w", err)
	}
	f, err := os.OpenFile(cfg.path(cfg.Log.File), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("log file: %w", err)
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.Log.Level)); err != nil {
		level = slog.LevelInfo
	}
	return slog.New(slog.NewJSONHandler(f, &slog.HandlerOptions{Level: level})), f, nil
}

// unavailableBanner is shown while a kiosk starts without its cluster.
const unavailableBanner = "\x1b[2J\x1b[H\n\n    统一身份认证平台 · 单位服务自助终端\n\n" +
	"    服务暂不可用：正在连接数据服务，恢复后自动开始。\n    如长时间未恢复，请咨询窗口工作人员。\n"

// openStore opens the configured store with its keys. In production it
// refuses a store that holds demo data (storage.RefuseDemo), with what the
// operator should do about it.
func openStore(cfg Config) (*storage.Store, error) {
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	keys, err := storage.LoadOrCreateKeys(cfg.path(cfg.Store.KeyFile))
	if err != nil {
		return nil, err
	}
	eng, err := openEngine(cfg)
	if err != nil {
		return nil, err
	}
	var opts []storage.Option
	if !cfg.Demo() {
		opts = append(opts, storage.RefuseDemo())
	}
	st, err := storage.Open(eng, keys, opts...)
	for waited := false; err != nil && errors.Is(err, kv.ErrUnavailable); waited = true {
		// A cluster that does not answer yet: the kiosk waits for it and
		// says so on the screen, rather than exiting in a loop.
		if !waited { // the log is not open yet; the terminal is the kiosk's screen
			fmt.Print(unavailableBanner)
		}
		time.Sleep(2 * time.Second)
		st, err = storage.Open(eng, keys, opts...)
	}
	if err != nil {
		_ = eng.Close()
		if errors.Is(err, storage.ErrDemoStore) {
			return nil, demoStoreError(cfg, err)
		}
		return nil, err
	}
	return st, nil
}

// runKiosk wires the adapters for the configured mode and runs the UI.
func runKiosk(ctx context.Context, cfg Config) error {
	// The catalogs are read while the store opens: the first frame waits
	// only for the hall's language, if at all.
	i18n.Default().Preload(i18n.Lang(cfg.UI.Language), i18n.Chinese)
	screens.InitTerminal() // and go-runewidth's table, beside the store
	// The store first: production refuses a demo store before anything
	// else is set up.
	st, err := openStore(cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	log, logFile, err := openLog(cfg)
	if err != nil {
		return err
	}
	defer logFile.Close()
	// From here to the end of the run, fd 2 is read into the log (see
	// stderrlog.go), and a panic here is logged before it goes on.
	stderrLog, noise := startStderrLog(cfg, log)
	defer stderrLog.recoverPanic(log)
	clock := model.SystemClock{}
	hasher := pwhash.New(pwhash.Default)
	if cfg.Demo() {
		start := time.Now()
		err := registry.SeedDemo(ctx, st, hasher, clock,
			bytes.NewReader(assets.SampleRegistryCSV), bytes.NewReader(assets.DemoSeedJSON))
		if err != nil {
			return fmt.Errorf("seeding demo data: %w", err)
		}
		log.Info("demo store ready", "took", time.Since(start))
	}
	// What PortAudio prints on stderr (JACK, ALSA) reaches the log through
	// the capture, as JSON records. In demo mode the "auto" audio adapter is
	// built in the background once the UI runs (see lateAudio); production
	// builds and checks every device first.
	devs, err := buildDevices(cfg, st, hasher, log, noise, cfg.Demo())
	defer terminateAudio(devs) // after devs.Close
	if err != nil {
		return err
	}
	defer func() {
		if err := devs.Close(); err != nil {
			log.Warn("closing devices", "err", err)
		}
	}()
	if !cfg.Demo() {
		if err := startupCheck(ctx, cfg, devs, log); err != nil {
			return err
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	worker := &sms.Worker{Store: st, Sender: devs.SMS, Clock: clock, Log: log}
	workerDone := make(chan struct{})
	go func() {
		defer close(workerDone)
		if err := worker.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
			log.Error("sms worker stopped", "err", err)
		}
	}()
	defer func() { cancel(); <-workerDone }()
	// This kiosk's presence in the fleet (`kiosk fleet`, 终端状态).
	presence := st.Fleet(0)
	heartbeat, stopPresence := startPresence(ctx, cfg, presence, devs, clock, log)
	defer stopPresence()
	stopHousekeeping := startHousekeeping(ctx, cfg, st, clock, log)
	defer stopHousekeeping()

	// One captcha service: the screens draw its challenges, the SMS code
	// service accepts only its passes.
	var fixed func() string // demo.fixed_captcha (demo mode only, see Validate)
	if f := cfg.DemoSet.FixedCaptcha; f != "" && cfg.Demo() {
		fixed = func() string { return f }
	}
	captchas := captcha.New(clock, fixed)
	codes := &smscode.Service{Store: st, Clock: clock, Kiosk: cfg.KioskID, Secret: st.Keys().Derive("sms-code"),
		Captcha: captchas}
	faces, err := newFaceService(st, clock, devs)
	if err != nil {
		return err
	}
	auth := &model.Auth{Store: st, Clock: clock, Hasher: hasher, Kiosk: cfg.KioskID}
	deps := screens.Deps{
		Accounts: &account.Service{Store: st, Registry: registry.StoreRegistry{Store: st}, Clock: clock,
			Hasher: hasher, Codes: codes, Kiosk: cfg.KioskID, AllowDemoFace: cfg.Demo(),
			Faces: faces, Auth: auth},
		Auth:          auth,
		Captcha:       captchas,
		Clock:         clock,
		Demo:          cfg.Demo(),
		KioskID:       cfg.KioskID,
		Version:       version,
		IdleTimeout:   cfg.UI.IdleTimeout.Duration,
		IdleCountdown: cfg.UI.IdleCountdown.Duration,
		Log:           log,
		AllowQuit:     cfg.UI.AllowQuit,
		Language:      i18n.Lang(cfg.UI.Language),
		Audio:         devs.Audio,
		Camera:        devs.Camera,
		Face:          devs.Face,
		Counter:       devs.Counter,
		Faces:         faces,
		SMSCodes:      codes,
		Phone:         devs.Phone,
		Outbox:        worker,
		Activity:      heartbeat,
		StaffChord:    cfg.Staff.Chord,
		Staff:         &staffdesk.Desk{Store: st, Clock: clock, Hasher: hasher, Kiosk: cfg.KioskID, Fleet: presence},
		USBRoot:       cfg.USB.Mount,
		TemplateURL:   cfg.Appeals.TemplateURL,
	}
	if st.Pings() { // a store that can be lost (etcd) is watched: 服务暂不可用
		deps.StoreHealth = st.Ping
	}
	log.Info("kiosk starting", "mode", cfg.Mode, "kiosk", cfg.KioskID)
	root := screens.New(deps)
	defer root.Close()
	// In demo mode a device that does not answer is only logged, so the
	// check (the replay camera decodes its frames, the late audio adapter
	// initialises PortAudio) runs beside the first frame, not before it.
	checked := make(chan struct{})
	if cfg.Demo() {
		go func() { defer close(checked); _ = startupCheck(ctx, cfg, devs, log) }()
	} else {
		close(checked)
	}
	defer func() { cancel(); <-checked }() // before devs.Close
	p := tea.NewProgram(root, tea.WithAltScreen(), tea.WithMouseCellMotion(), tea.WithContext(ctx))
	_, err = p.Run()
	log.Info("kiosk stopped", "err", err)
	return err
}

// startupCheck asks every device whether it answers. In production a device
// that does not answer stops start-up: the kiosk never carries on with a
// missing device or falls back to a simulation.
func startupCheck(ctx context.Context, cfg Config, devs *Devices, log *slog.Logger) error {
	var failed []string
	for _, s := range checkDevices(ctx, devs, 10*time.Second) {
		log.Info("device", "role", s.Role, "adapter", s.Name, "simulated", s.Simulated, "err", s.Err)
		if s.Err != nil {
			failed = append(failed, fmt.Sprintf("%s (%s): %v", s.Role, s.Name, s.Err))
		}
	}
	if len(failed) == 0 {
		return nil
	}
	if cfg.Demo() {
		log.Warn("demo mode: some devices did not answer", "devices", failed)
		return nil
	}
	return fmt.Errorf("production start-up stopped, configured device missing (设备未就绪，请联系运维人员):\n  %s",
		strings.Join(failed, "\n  "))
}

// importRegistry loads a registry CSV export into the store.
func importRegistry(ctx context.Context, cfg Config, path string, out io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	recs, rowErrs, err := registry.ParseCSV(f, time.Now())
	if err != nil {
		return err
	}
	for _, re := range rowErrs {
		fmt.Fprintln(out, "skipped:", re.Error())
	}
	st, err := openStore(cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := registry.Import(ctx, st, recs, 1000)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "imported %d enterprises, skipped %d rows\n", n, len(rowErrs))
	return nil
}
