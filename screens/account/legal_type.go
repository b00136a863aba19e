package account

import "kiosk/screens/form"

// LegalTypeChoice is 法人类型 as the registration asks it (radio buttons of
// model.LegalTypes shown by catalog labels), for the centers' flows
// (企业信息变更).
func LegalTypeChoice() form.Field { return legalType() }
