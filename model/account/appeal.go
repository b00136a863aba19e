package account

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"kiosk/model"
	"kiosk/model/captcha"
	"kiosk/model/i18n"
	"kiosk/model/material"
	"kiosk/model/rules"
	"kiosk/model/smscode"
)

// Audit actions of 账号申诉 at the kiosk (manual §五(二)).
const (
	AuditAppealLookup = "appeal.lookup"
	AuditAppealSubmit = "appeal.submit"
)

// FieldMaterial is the form key of a material's refusal: "material." and
// the model.MaterialKind.
func FieldMaterial(k model.MaterialKind) string { return "material." + string(k) }

// FieldRemark is 申诉备注.
const FieldRemark = "remark"

// AppealIdentity is 账号申诉 step 1 (身份验证): the type, what a
// 修改企业信息申诉 changes, the activation fields, 法人账号 and 手机号码.
type AppealIdentity struct {
	Kind    model.AppealKind
	Changes []model.AppealChange
	// The enterprise and its legal representative as they are (辅助企业
	// 注册申诉) or are to be (修改企业信息申诉: the new name, legal
	// representative…).
	Enterprise EnterpriseInput
	RepName    string
	IDDoc      model.IDDocument
	Account    string // 法人账号: the account to open, or the one the enterprise has
	Phone      string // 手机号码, proven by the SMS code; the result is texted to it
	// Extended is the 拓展信息 a 修改企业信息申诉 of the enterprise's
	// information asks for (企业信息变更 carries it); zero for none.
	Extended model.Extended
}

// AppealUpload is one material as picked or photographed: its kind, the
// name it had (shown to staff, never trusted for its type) and its bytes.
type AppealUpload struct {
	Kind model.MaterialKind
	Name string
	Data []byte
}

// AppealSubmission is the whole appeal, handed to SubmitAppeal at the end.
type AppealSubmission struct {
	Identity  AppealIdentity
	Proof     smscode.Proof // VerifyAppealCode's for Identity.Phone
	Materials []AppealUpload
	Remark    string
}

// AppealDone is what 完成 shows: the reference number, and the phone the
// result will be texted to, masked.
type AppealDone struct {
	Ref         string
	MaskedPhone string
}

// SendAppealCode sends the 身份验证 code to phone (the captcha pass first).
func (s *Service) SendAppealCode(ctx context.Context, pass captcha.Pass, phone string) (time.Time, error) {
	return s.sendCode(ctx, pass, smscode.PurposeAppeal, phone)
}

// VerifyAppealCode checks the code texted to phone and returns its proof.
func (s *Service) VerifyAppealCode(ctx context.Context, phone, code string) (smscode.Proof, error) {
	return s.verifyCode(ctx, smscode.PurposeAppeal, phone, code)
}

// validateAppeal checks step 1's fields alone and returns them normalised.
func validateAppeal(in AppealIdentity, now time.Time) (AppealIdentity, error) {
	var f fieldErrs
	if err := model.CheckAppealChanges(in.Kind, in.Changes); err != nil {
		f.add(FieldForm, err)
	}
	in.Enterprise = validateEnterprise(in.Enterprise, &f)
	in.RepName, in.IDDoc, in.Phone = validateRep(in.RepName, in.IDDoc, in.Phone, now, FieldRepName, true, &f)
	in.Account = strings.TrimSpace(normInput(in.Account))
	f.add(FieldAccount, rules.ValidAccount(in.Account))
	return in, f.err()
}

// CheckAppealIdentity is 账号申诉 step 1 once the SMS code is answered:
// the fields, then proof (VerifyAppealCode's for the phone), and only
// then one look-up within the kiosk's limit, audited as AuditAppealLookup:
//
//   - 辅助企业注册申诉 (the registry refused a registration): the USCC must
//     have no account (an active one → model.ErrAlreadyRegistered, pointing
//     to 忘记密码 or 修改企业信息申诉; a pending one → model.ErrPendingUSCC;
//     a closed one → model.ErrClosedUSCC), and 法人账号 must be free
//     (model.ErrAccountTaken);
//   - 修改企业信息申诉: the USCC must be an active enterprise whose account is
//     法人账号; anything else is one sentence, model.ErrAppealNoAccount.
//
// The registry is not consulted: an appeal is what a person files when the
// registry and the platform disagree; staff decide on the materials.
func (s *Service) CheckAppealIdentity(ctx context.Context, in AppealIdentity, proof smscode.Proof) error {
	if err := s.ready(); err != nil {
		return err
	}
	now := s.Clock.Now()
	in, err := validateAppeal(in, now)
	if err != nil {
		return err
	}
	if err := s.checkProof(proof, smscode.PurposeAppeal, in.Phone); err != nil {
		return err
	}
	var refusal error
	err = s.Store.Update(ctx, func(tx model.Tx) error {
		refusal = nil // fn may be re-run
		ok, err := s.takeLookup(tx, lookupKey("appeal", s.Kiosk), now)
		if err != nil {
			return err
		}
		subject, outcome := "unknown", "limited"
		if !ok {
			refusal = refuse(FieldForm, model.ErrLookupLimited)
		} else if subject, outcome, refusal, err = judgeAppeal(tx, in); err != nil {
			return err
		}
		return appendAudit(tx, s.record("anonymous", AuditAppealLookup, subject, outcome, "kind="+string(in.Kind), now))
	})
	if err != nil {
		return err
	}
	return refusal
}

// judgeAppeal answers step 1's look-up in its transaction: the audit
// subject and outcome and nil or the refusal; err is the store's failure.
func judgeAppeal(tx model.Tx, in AppealIdentity) (subject, outcome string, refusal, err error) {
	e, err := tx.Enterprises().ByUSCC(in.Enterprise.USCC)
	found := err == nil
	if err != nil && !errors.Is(err, model.ErrNotFound) {
		return "", "", nil, err
	}
	if found {
		subject = e.ID
	} else {
		subject = "unknown"
	}
	if in.Kind == model.AppealKindChange {
		if !found || e.State != model.EnterpriseActive || !strings.EqualFold(e.Account, in.Account) {
			return subject, "no_account", refuse(FieldAccount, model.ErrAppealNoAccount), nil
		}
		return subject, "ok", nil, nil
	}
	if found {
		return subject, "registered", usccRefusal(e), nil
	}
	other, err := tx.Enterprises().ByAccount(in.Account)
	switch {
	case err == nil && other.ID != "":
		return subject, "account_taken", refuse(FieldAccount, model.ErrAccountTaken), nil
	case err != nil && !errors.Is(err, model.ErrNotFound):
		return "", "", nil, err
	}
	return subject, "ok", nil, nil
}

// checkUploads checks every material by its content (never its name),
// each within the per-file limit and all within the appeal's, and the
// remark. It returns each upload's type.
func (s *Service) checkUploads(ups []AppealUpload, remark string) ([]material.Type, error) {
	var f fieldErrs
	f.add(FieldRemark, model.CheckAppealRemark(remark))
	lim := s.MaterialLimits.OrDefault()
	types := make([]material.Type, len(ups))
	var used int64
	seen := map[model.MaterialKind]bool{}
	for i, u := range ups {
		if !u.Kind.Valid() || seen[u.Kind] {
			f.add(FieldForm, model.ErrMaterialKind)
			continue
		}
		seen[u.Kind] = true
		key := FieldMaterial(u.Kind)
		if err := lim.CheckFile(int64(len(u.Data))); err != nil {
			f.add(key, err)
			continue
		}
		if err := lim.CheckAdd(used, int64(len(u.Data))); err != nil {
			f.add(key, err)
			continue
		}
		used += int64(len(u.Data))
		t, err := material.Check(u.Data, u.Name, u.Kind.Types())
		if err != nil {
			f.add(key, err)
			continue
		}
		types[i] = t
	}
	for _, k := range model.MaterialKinds {
		if !seen[k] {
			f.add(FieldMaterial(k), &model.MaterialRequiredError{Kind: k})
		}
	}
	return types, f.err()
}

// SubmitAppeal files the appeal (step 3, 完成). It checks everything
// again (the fields, the SMS proof, the look-up's answer, every material
// by its content and size, the remark), stores each material as chunks
// in short transactions of their own and references them from the
// appeal-to-be (model.ReserveChunks, in batches), then writes the appeal,
// its audit record and an SMS telling the reference number in one
// transaction: the appeal is whole with all its materials, or not there
// (chunks reserved for an appeal that never got written are released and
// collected as orphans after the grace). The reference number comes from model.NewAppealRef; a clash
// draws another.
func (s *Service) SubmitAppeal(ctx context.Context, in AppealSubmission) (AppealDone, error) {
	if err := s.ready(); err != nil {
		return AppealDone{}, err
	}
	now := s.Clock.Now()
	id, err := validateAppeal(in.Identity, now)
	if err != nil {
		return AppealDone{}, err
	}
	if err := s.checkProof(in.Proof, smscode.PurposeAppeal, id.Phone); err != nil {
		return AppealDone{}, err
	}
	remark := strings.TrimSpace(in.Remark)
	types, err := s.checkUploads(in.Materials, remark)
	if err != nil {
		return AppealDone{}, err
	}
	lim := s.MaterialLimits.OrDefault()
	mats := make([]model.Material, 0, len(in.Materials))
	for i, u := range in.Materials {
		m, err := model.WriteMaterial(ctx, s.Store, s.Clock, bytes.NewReader(u.Data), lim.File)
		if err != nil {
			return AppealDone{}, fmt.Errorf("account: store material %s: %w", u.Kind, err)
		}
		m.Kind, m.Name, m.MIME = u.Kind, model.CleanMaterialName(u.Name), types[i].MIME()
		mats = append(mats, m)
	}
	changes := append([]model.AppealChange(nil), id.Changes...)
	a := model.Appeal{ID: model.NewID(), Kind: id.Kind, Changes: changes, State: model.AppealPending, Kiosk: s.Kiosk,
		LegalType: id.Enterprise.LegalType, EnterpriseName: id.Enterprise.Name, USCC: id.Enterprise.USCC,
		LegalRep: model.LegalRep{Name: id.RepName, ID: id.IDDoc}, Account: id.Account, Phone: id.Phone, Extended: id.Extended,
		Remark: remark, Materials: mats, CreatedAt: now, UpdatedAt: now}
	// The chunks are referenced ahead, in short transactions, so the
	// appeal's own stays small whatever its materials weigh.
	if err := model.ReserveChunks(ctx, s.Store, a.ID, a.ChunkIDs(), now); err != nil {
		return AppealDone{}, fmt.Errorf("account: reserve materials: %w", err)
	}
	var refusal error
	err = s.Store.Update(ctx, func(tx model.Tx) error {
		refusal = nil // fn may be re-run
		_, outcome, r, err := judgeAppeal(tx, id)
		if err != nil {
			return err
		}
		if r != nil { // the answer changed since step 1 (registered meanwhile)
			refusal = r
			return appendAudit(tx, s.record("anonymous", AuditAppealSubmit, "unknown", outcome, "", now))
		}
		for try := 0; ; try++ {
			a.Ref = model.NewAppealRef(s.Kiosk, now)
			err = tx.Appeals().Put(a)
			var dup *model.DuplicateError
			if !errors.As(err, &dup) || try == 4 {
				break
			}
		}
		return firstErr(err,
			appendAudit(tx, s.record("anonymous", AuditAppealSubmit, a.ID, "ok", appealDetail(a), now)),
			tx.Outbox().Enqueue(model.NewOutboundSMS(a.Phone, i18n.Sentence(ctx, noticeAppealFiled(a.Ref)),
				model.SMSKindNotice, now)))
	})
	switch {
	case err != nil:
		return AppealDone{}, err
	case refusal != nil:
		return AppealDone{}, refusal
	}
	return AppealDone{Ref: a.Ref, MaskedPhone: rules.MaskMobile(a.Phone)}, nil
}

// appealDetail is the audit detail of an appeal: its kind and changes,
// never a name or number.
func appealDetail(a model.Appeal) string {
	var cs []string
	for _, c := range a.Changes {
		cs = append(cs, string(c))
	}
	return "kind=" + string(a.Kind) + " changes=" + strings.Join(cs, ",")
}
