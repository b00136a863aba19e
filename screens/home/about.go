package home

import (
	"kiosk/screens/kit"
	"kiosk/screens/widget"
)

// AboutBack is the zone id of 关于本终端's 返回 button.
const AboutBack = "about:back"

// NewAbout is 关于本终端: which kiosk this is, its software version, and
// the devices it runs with, a simulated one said so. Read-only; nothing
// on it is personal.
func NewAbout(a *kit.App, _ kit.None) kit.Screen {
	d := a.Deps
	mode := "正式运行"
	if d.Demo {
		mode = "演示模式（模拟设备、样例数据）"
	}
	device := func(present bool, name string, simulated bool) string {
		switch {
		case !present:
			return "未配置"
		case simulated:
			return name + "（模拟）"
		}
		return name
	}
	sms := "短信猫"
	if d.Phone != nil {
		sms = "模拟手机（模拟）"
	}
	rows := []widget.Row{
		{Key: "终端编号", Value: d.KioskID},
		{Key: "软件版本", Value: d.Version},
		{Key: "运行模式", Value: mode},
		{Key: "摄像头", Value: device(d.Camera != nil, name(d.Camera), d.Camera != nil && d.Camera.Simulated())},
		{Key: "人脸核验", Value: device(d.Face != nil, name(d.Face), d.Face != nil && d.Face.Simulated())},
		{Key: "语音播报", Value: device(d.Audio != nil, name(d.Audio), d.Audio != nil && d.Audio.Simulated())},
		{Key: "短信发送", Value: device(d.Outbox != nil || d.Phone != nil, sms, false)},
		{Key: "窗口人工核验", Value: device(d.Counter != nil, "已启用", false)},
	}
	return &page{a: a, title: "关于本终端", backZone: AboutBack,
		body: []string{widget.InfoTable(a.St, rows), "", a.St.Muted.Render("如需帮助，请咨询窗口工作人员")}}
}

func name(d interface{ Name() string }) string {
	if d == nil {
		return ""
	}
	return d.Name()
}
