package model_test

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"kiosk/model"
	"kiosk/model/i18n"
	"kiosk/model/material"
)

// Every appeal kind, change, state and material has a label in every
// language; unknown values say so.
func TestAppealLabels(t *testing.T) {
	for _, tt := range []struct {
		got  i18n.Text
		want string
	}{
		{model.AppealKindRegister.Label(), "辅助企业注册申诉"},
		{model.AppealKindChange.Label(), "修改企业信息申诉"},
		{model.AppealKind("x").Label(), "未知"},
		{model.ChangePhone.Label(), "手机号码"},
		{model.ChangeLegalRep.Label(), "法人信息"},
		{model.ChangeEnterprise.Label(), "企业信息"},
		{model.AppealChange("x").Label(), "未知"},
		{model.AppealPending.Label(), "待处理"},
		{model.AppealProcessing.Label(), "处理中"},
		{model.AppealApproved.Label(), "已通过"},
		{model.AppealRejected.Label(), "已驳回"},
		{model.AppealState("x").Label(), "未知"},
		{model.MaterialLicense.Label(), "企业营业执照原件"},
		{model.MaterialAuthorization.Label(), "企业授权书"},
		{model.MaterialAgentHoldingID.Label(), "经办人手持身份证照片"},
		{model.MaterialKind("x").Label(), "未知"},
	} {
		if zh(tt.got) != tt.want {
			t.Errorf("%+v renders %q, want %q", tt.got, zh(tt.got), tt.want)
		}
	}
	var all []i18n.Text
	for _, k := range model.MaterialKinds {
		all = append(all, k.Label())
	}
	for _, s := range model.AppealStates {
		all = append(all, s.Label())
	}
	for _, l := range i18n.Langs {
		for _, txt := range all {
			if !i18n.Default().Has(l, txt.ID) {
				t.Errorf("%s lacks %s", l, txt.ID)
			}
		}
	}
}

// The review goes pending → processing → approved | rejected, nothing
// else; the helpers set who and when.
func TestAppealTransitions(t *testing.T) {
	allowed := map[[2]model.AppealState]bool{
		{model.AppealPending, model.AppealProcessing}:  true,
		{model.AppealProcessing, model.AppealApproved}: true,
		{model.AppealProcessing, model.AppealRejected}: true,
	}
	for _, from := range append(model.AppealStates, "") {
		for _, to := range append(model.AppealStates, "") {
			err := model.CheckAppealTransition(from, to)
			if (err == nil) != allowed[[2]model.AppealState{from, to}] {
				t.Errorf("%q → %q: %v", from, to, err)
			}
			var te *model.AppealTransitionError
			if err != nil && (!errors.As(err, &te) || model.Code(err) != "appeal_transition") {
				t.Errorf("%q → %q: error %T %v", from, to, err, err)
			}
		}
	}
	err := model.CheckAppealTransition(model.AppealApproved, model.AppealRejected)
	if got := zh(model.UserMessage(err)); got != "该申诉当前为“已通过”，不能改为“已驳回”" {
		t.Errorf("transition sentence %q", got)
	}

	now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	a := model.Appeal{ID: "a1", State: model.AppealPending}
	if _, err := a.Approve("s1", now); err == nil {
		t.Error("a pending appeal was approved without being taken")
	}
	if _, err := a.Take("", now); !errors.Is(err, model.ErrStaffForbidden) {
		t.Errorf("taken by nobody: %v", err)
	}
	taken, err := a.Take("s1", now)
	if err != nil || taken.State != model.AppealProcessing || taken.Handler != "s1" || !taken.DecidedAt.IsZero() || a.State != model.AppealPending {
		t.Fatalf("Take: %+v, %v", taken, err)
	}
	if _, err := taken.Reject("s2", "  ", now); !errors.Is(err, model.ErrRejectReasonRequired) {
		t.Errorf("reject without reason: %v", err)
	}
	rej, err := taken.Reject("s2", " 营业执照照片模糊 ", now.Add(time.Hour))
	if err != nil || rej.State != model.AppealRejected || rej.Reason != "营业执照照片模糊" || rej.Handler != "s2" ||
		!rej.DecidedAt.Equal(now.Add(time.Hour)) || !rej.State.Closed() {
		t.Fatalf("Reject: %+v, %v", rej, err)
	}
	ok, err := taken.Approve("s1", now)
	if err != nil || ok.State != model.AppealApproved || ok.Reason != "" || !ok.DecidedAt.Equal(now) {
		t.Fatalf("Approve: %+v, %v", ok, err)
	}
	if _, err := ok.Reject("s1", "x", now); err == nil {
		t.Error("an approved appeal was rejected")
	}
}

// Remark and reason limits count characters, not bytes.
func TestAppealTextLimits(t *testing.T) {
	for _, tt := range []struct {
		err, want error
	}{
		{model.CheckAppealRemark(""), nil},
		{model.CheckAppealRemark(strings.Repeat("申", 150)), nil},
		{model.CheckAppealRemark(strings.Repeat("申", 151)), model.ErrAppealRemarkTooLong},
		{model.CheckRejectReason(""), model.ErrRejectReasonRequired},
		{model.CheckRejectReason(" \t"), model.ErrRejectReasonRequired},
		{model.CheckRejectReason(strings.Repeat("驳", 100)), nil},
		{model.CheckRejectReason(strings.Repeat("驳", 101)), model.ErrRejectReasonTooLong},
	} {
		if !errors.Is(tt.err, tt.want) || (tt.want == nil) != (tt.err == nil) {
			t.Errorf("got %v, want %v", tt.err, tt.want)
		}
	}
	if got := zh(model.ErrAppealRemarkTooLong.Message()); got != "申诉备注不能超过150个字" {
		t.Errorf("remark sentence %q", got)
	}
}

func TestCheckAppealChanges(t *testing.T) {
	reg, chg := model.AppealKindRegister, model.AppealKindChange
	for _, tt := range []struct {
		kind    model.AppealKind
		changes []model.AppealChange
		want    error
	}{
		{reg, nil, nil},
		{reg, []model.AppealChange{model.ChangePhone}, model.ErrAppealChanges},
		{chg, nil, model.ErrAppealNoChange},
		{chg, []model.AppealChange{model.ChangePhone, model.ChangeEnterprise}, nil},
		{chg, []model.AppealChange{model.ChangePhone, model.ChangePhone}, model.ErrAppealChanges},
		{chg, []model.AppealChange{"password"}, model.ErrAppealChanges},
		{"", nil, model.ErrAppealKind},
	} {
		if err := model.CheckAppealChanges(tt.kind, tt.changes); err != tt.want {
			t.Errorf("%s %v: %v, want %v", tt.kind, tt.changes, err, tt.want)
		}
	}
}

// Reference numbers: date, kiosk part, random part; unambiguous symbols;
// the kiosk part is the kiosk's own; they are read back however typed.
func TestAppealRef(t *testing.T) {
	now := time.Date(2026, 6, 1, 23, 30, 0, 0, time.FixedZone("CST", 8*3600))
	shape := regexp.MustCompile(`^260601-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{6}$`)
	seen := map[string]bool{}
	var kioskPart string
	for range 2000 {
		ref := model.NewAppealRef("HALL-01", now)
		if !shape.MatchString(ref) || seen[ref] {
			t.Fatalf("bad or repeated ref %q", ref)
		}
		seen[ref] = true
		if kioskPart == "" {
			kioskPart = ref[7:11]
		} else if ref[7:11] != kioskPart {
			t.Fatalf("kiosk part changed: %q vs %q", ref[7:11], kioskPart)
		}
	}
	if other := model.NewAppealRef("HALL-02", now); other[7:11] == kioskPart {
		t.Logf("two kiosks share the kiosk part %s (possible, 1 in 2^20)", kioskPart)
	}
	for in, want := range map[string]string{
		"260601-ABCD-EFGH23":   "260601ABCDEFGH23",
		" 260601 abcd efgh23 ": "260601ABCDEFGH23",
		"２６０６０１－ＡＢＣＤ－ｅｆｇｈ２３": "260601ABCDEFGH23",
		"260601—ABCD–EFGH23": "260601ABCDEFGH23",
		"":                   "",
	} {
		if got := model.NormalizeAppealRef(in); got != want {
			t.Errorf("NormalizeAppealRef(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMaterialKindTypes(t *testing.T) {
	if got := model.MaterialLicense.Extensions(); got != "PDF/JPG/PNG" {
		t.Errorf("licence types %q", got)
	}
	if got := model.MaterialAuthorization.Extensions(); got != "DOC/XLS/DOCX/XLSX/JPG/PNG/PDF" {
		t.Errorf("authorisation types %q", got)
	}
	for _, tt := range []struct {
		kind model.MaterialKind
		mime string
		want bool
	}{
		{model.MaterialLicense, "application/pdf", true},
		{model.MaterialLicense, "IMAGE/JPEG; q=1", true},
		{model.MaterialLicense, "application/msword", false},
		{model.MaterialAuthorization, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", true},
		{model.MaterialRepIDFront, "image/png", true},
		{model.MaterialRepIDFront, "application/pdf", false},
		{"other", "image/png", false},
	} {
		if got := tt.kind.Accepts(tt.mime); got != tt.want {
			t.Errorf("%s accepts %q = %v", tt.kind, tt.mime, got)
		}
	}
	ts := model.MaterialLicense.Types()
	ts[0] = material.DOC // a copy: the table stays as it is
	if model.MaterialLicense.Types()[0] != material.PDF {
		t.Error("Types shares the table")
	}
}

func TestCheckAppealMaterials(t *testing.T) {
	full := func() []model.Material {
		var ms []model.Material
		for _, k := range model.MaterialKinds {
			mime := "image/jpeg"
			ms = append(ms, model.Material{Kind: k, Name: "x.jpg", MIME: mime, Size: 300 << 10,
				SHA256: strings.Repeat("a", 64), Chunks: []string{"c1", "c2"}})
		}
		return ms
	}
	if err := model.CheckAppealMaterials(full()); err != nil {
		t.Fatalf("full set: %v", err)
	}
	missing := full()[1:]
	var req *model.MaterialRequiredError
	if err := model.CheckAppealMaterials(missing); !errors.As(err, &req) || req.Kind != model.MaterialLicense ||
		zh(model.UserMessage(err)) != "请上传企业营业执照原件" {
		t.Errorf("without the licence: %v", err)
	}
	twice := append(full(), full()[2])
	if err := model.CheckAppealMaterials(twice); err != model.ErrMaterialKind {
		t.Errorf("a kind twice: %v", err)
	}
	badType := full()
	badType[2].MIME = "application/pdf"
	var te *model.MaterialTypeError
	if err := model.CheckAppealMaterials(badType); !errors.As(err, &te) ||
		zh(model.UserMessage(err)) != "法人身份证正面只支持 JPG/PNG 格式" {
		t.Errorf("a PDF ID photo: %v (%s)", err, zh(model.UserMessage(err)))
	}
	empty := full()
	empty[0].Size, empty[0].Chunks = 0, nil
	if err := model.CheckAppealMaterials(empty); !errors.Is(err, material.ErrEmpty) {
		t.Errorf("an empty file: %v", err)
	}
	tooMany := full()
	tooMany[0].Chunks = []string{"a", "b", "c"} // 300 KiB fit in two chunks
	if err := model.CheckAppealMaterials(tooMany); err != model.ErrMaterialCorrupt {
		t.Errorf("chunks beyond the size: %v", err)
	}
}

func TestCleanMaterialName(t *testing.T) {
	long := strings.Repeat("营", 150) + ".pdf"
	for in, want := range map[string]string{
		"营业执照.pdf":                      "营业执照.pdf",
		"/media/usb/扫描件/授权书.docx":       "授权书.docx",
		`C:\Users\x\身份证 正面.jpg`:         "身份证 正面.jpg",
		"  name\twith\x1b[31mred.png  ": "name with[31mred.png",
		"evil\u202egpj.exe":             "evilgpj.exe",
		"zero\u200bwidth.pdf":           "zerowidth.pdf",
		"bad\xffutf8.pdf":               "badutf8.pdf",
		long:                            strings.Repeat("营", 96) + ".pdf",
	} {
		if got := model.CleanMaterialName(in); got != want {
			t.Errorf("CleanMaterialName(%q) = %q, want %q", in, got, want)
		}
	}
}
