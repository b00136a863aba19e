package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"kiosk/model"
	"kiosk/model/i18n"
	"kiosk/model/pwhash"
	"kiosk/model/rules"
	"kiosk/model/staffadmin"
)

const staffUsage = "usage: kiosk [-config FILE] staff add ID --name NAME --role 审核员|管理员|窗口人员 | staff disable ID | staff reset-password ID | staff list | staff unlock ACCOUNT|USCC --staff ID"

// staffCommand is `kiosk staff …`: staff accounts for the operator. New
// passwords are typed twice without echo on a terminal, or read as two
// lines from a non-terminal stdin (scripts, tests); they are never printed
// or audited. They are read before the store is opened, so the store's
// lock is not held while someone types.
func staffCommand(ctx context.Context, cfg Config, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New(staffUsage)
	}
	var action func(*staffadmin.Admin) error
	switch cmd, rest := args[0], args[1:]; {
	case cmd == "add":
		n, err := staffAddArgs(rest, stderr)
		if err != nil {
			return err
		}
		action = func(admin *staffadmin.Admin) error {
			st, err := admin.Add(ctx, n)
			if err != nil {
				return operatorError(err)
			}
			fmt.Fprintf(stdout, "staff %s added (%s)\n", rules.Sanitize(st.Username), st.Role)
			return nil
		}
	case cmd == "disable" && len(rest) == 1:
		action = func(admin *staffadmin.Admin) error {
			st, err := admin.Disable(ctx, rest[0])
			if err != nil {
				return operatorError(err)
			}
			fmt.Fprintf(stdout, "staff %s disabled\n", rules.Sanitize(st.Username))
			return nil
		}
	case cmd == "reset-password" && len(rest) == 1:
		pw, err := readNewPassword(os.Stdin, stderr, rest[0])
		if err != nil {
			return err
		}
		action = func(admin *staffadmin.Admin) error {
			st, err := admin.ResetPassword(ctx, rest[0], pw)
			if err != nil {
				return operatorError(err)
			}
			fmt.Fprintf(stdout, "password of staff %s reset\n", rules.Sanitize(st.Username))
			return nil
		}
	case cmd == "unlock":
		return staffUnlock(ctx, cfg, rest, stdout, stderr)
	case cmd == "list" && len(rest) == 0:
		action = func(admin *staffadmin.Admin) error { return staffList(ctx, admin, stdout) }
	default:
		return errors.New(staffUsage)
	}
	store, err := openStore(cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	return action(&staffadmin.Admin{Store: store, Clock: model.SystemClock{}, Hasher: pwhash.New(pwhash.Default),
		Kiosk: cfg.KioskID, Actor: "cli"})
}

// staffList prints every staff member; never a password hash.
func staffList(ctx context.Context, admin *staffadmin.Admin, stdout io.Writer) error {
	list, err := admin.List(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%-20s %-12s %-9s %-9s %s\n", "id", "name", "role", "state", "created")
	for _, st := range list {
		state := "enabled"
		if st.Disabled {
			state = "disabled"
		}
		fmt.Fprintf(stdout, "%-20s %-12s %-9s %-9s %s\n", rules.Sanitize(st.Username), rules.Sanitize(st.Name),
			st.EffectiveRole(), state, st.CreatedAt.Local().Format("2006-01-02 15:04"))
	}
	fmt.Fprintf(stdout, "%d staff member(s)\n", len(list))
	return nil
}

// staffAddArgs reads `staff add ID --name N --role R` (the flags may also
// come before ID) and the new password.
func staffAddArgs(args []string, stderr io.Writer) (staffadmin.NewStaff, error) {
	fs := flag.NewFlagSet("staff add", flag.ContinueOnError)
	fs.SetOutput(stderr)
	name := fs.String("name", "", "the staff member's name")
	role := fs.String("role", "", "审核员 (reviewer), 管理员 (admin) or 窗口人员 (counter)")
	var id string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		id, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return staffadmin.NewStaff{}, errors.New(staffUsage)
	}
	if id == "" && fs.NArg() == 1 {
		id = fs.Arg(0)
	} else if fs.NArg() > 0 {
		return staffadmin.NewStaff{}, errors.New(staffUsage)
	}
	if id == "" || *name == "" || *role == "" {
		return staffadmin.NewStaff{}, errors.New(staffUsage)
	}
	r, ok := staffadmin.ParseStaffRole(*role)
	if !ok {
		return staffadmin.NewStaff{}, fmt.Errorf("--role %q is not 审核员 (reviewer), 管理员 (admin) or 窗口人员 (counter)", *role)
	}
	pw, err := readNewPassword(os.Stdin, stderr, id)
	if err != nil {
		return staffadmin.NewStaff{}, err
	}
	return staffadmin.NewStaff{Username: id, Name: *name, Role: r, Password: pw}, nil
}

// readNewPassword reads a new password twice: without echo when in is a
// terminal (prompts on prompt), else as two lines.
func readNewPassword(in *os.File, prompt io.Writer, username string) (string, error) {
	read := secretReader(in, prompt)
	first, err := read("New password for staff " + rules.Sanitize(username))
	if err != nil {
		return "", err
	}
	second, err := read("Repeat it")
	if err != nil {
		return "", err
	}
	if first != second {
		return "", errors.New("the two passwords differ; nothing was changed")
	}
	return first, nil
}

// secretReader reads secrets from in one after another: without echo
// after a prompt on a terminal, else one line each.
func secretReader(in *os.File, prompt io.Writer) func(label string) (string, error) {
	if fd := int(in.Fd()); term.IsTerminal(fd) {
		return func(label string) (string, error) {
			fmt.Fprintf(prompt, "%s: ", label)
			b, err := term.ReadPassword(fd)
			fmt.Fprintln(prompt)
			return string(b), err
		}
	}
	r := bufio.NewReader(in)
	return func(string) (string, error) {
		s, err := r.ReadString('\n')
		if err != nil && (err != io.EOF || s == "") {
			return "", errors.New("a password line expected on stdin")
		}
		return strings.TrimRight(s, "\r\n"), nil
	}
}

// staffUnlock is `staff unlock IDENTIFIER --staff ID`: a counter staff
// member, with their own password, clears the login lock of an enterprise
// account or USCC (model.Auth.ClearLock; audited with the staff id).
func staffUnlock(ctx context.Context, cfg Config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("staff unlock", flag.ContinueOnError)
	fs.SetOutput(stderr)
	staffID := fs.String("staff", "", "the counter staff member's id")
	var ident string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		ident, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if ident == "" && fs.NArg() == 1 {
		ident = fs.Arg(0)
	}
	if ident == "" || *staffID == "" {
		return errors.New(staffUsage)
	}
	pw, err := secretReader(os.Stdin, stderr)("Password of staff " + rules.Sanitize(*staffID))
	if err != nil {
		return err
	}
	store, err := openStore(cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	auth := &model.Auth{Store: store, Clock: model.SystemClock{}, Hasher: pwhash.New(pwhash.Default), Kiosk: cfg.KioskID}
	sess, err := auth.LoginStaff(ctx, *staffID, pw)
	if err != nil {
		return operatorError(err)
	}
	if err := auth.ClearLock(ctx, sess, ident); err != nil {
		return operatorError(err)
	}
	fmt.Fprintf(stdout, "login lock of %s cleared\n", rules.Sanitize(ident))
	return nil
}

// operatorError adds the English sentence of a rule or domain refusal
// (the code alone says little to an operator).
func operatorError(err error) error {
	if model.Code(err) == "" {
		return err
	}
	msg := model.UserMessage(err)
	if msg.IsZero() {
		return err
	}
	return fmt.Errorf("%w: %s", err, i18n.Default().Render(i18n.English, msg))
}
