package screens

// input notes a key or a tap: the idle watchdog's last input, and the
// fleet's last activity (Deps.Activity: only the minute, never what it
// was, and no write of its own).
func (r *Root) input() {
	r.lastInput = r.now()
	if a := r.app.Deps.Activity; a != nil {
		a.Touch(r.lastInput)
	}
}
