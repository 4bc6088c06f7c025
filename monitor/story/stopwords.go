package story

// Stop words of German, English and French, folded (ä = ae, ß = ss,
// accents dropped). They are never terms, and they tell the language.
var stopDE = words(`der die das den dem des ein eine einer eines einem einen und oder aber auch
als am an auf aus bei bis durch fuer gegen hat haben hatte hatten ist sind war waren wird werden
wurde wurden ich du er sie es wir ihr ihm ihn ihre ihrer ihren sein seine seiner seinen im in ins
mit nach nicht noch nun nur ob ohne schon seit so ueber um unter vom von vor wie wo zu zum zur
dass weil wenn doch mehr sich man kein keine keinen dieser diese dieses diesem diesen jetzt sowie
bereits laut soll sollen kann koennen muss muessen will wollen beim zwischen sei seien wegen etwa
heute gestern morgen neue neuen neuer neues erst`)

var stopEN = words(`the a an and or but of to in on at by for from with without about after
before over under into onto is are was were be been being has have had do does did will would can
could should may might must shall this that these those it its he she they them their his her
him we us our you your i me my not no as than then there here which who whom whose what when where
why how all any some more most other such only also just new says said say after amid while during
up out off against between today yesterday tomorrow first last over again`)

var stopFR = words(`le la les l un une des du de d et ou mais donc car ni au aux a ce cet cette
ces ceux il elle ils elles on nous vous je tu se s sa son ses leur leurs lui y en dans par pour
sur sous avec sans entre vers chez est sont etait etaient sera seront ete etre avoir a ont avait
avaient qui que qu quoi dont ou ne pas plus moins tres aussi comme si deja apres avant depuis
pendant selon lors contre tout tous toute toutes autre autres mardi lundi mercredi jeudi vendredi
samedi dimanche hier aujourd hui demain nouveau nouvelle nouveaux`)

// stopAll holds every stop word of the three languages.
var stopAll = func() map[string]bool {
	m := map[string]bool{}
	for _, s := range []map[string]bool{stopDE, stopEN, stopFR} {
		for w := range s {
			m[w] = true
		}
	}
	return m
}()

// Function words that are ordinary words in another of the languages
// ("die", "war", "an", "des", "est") count for language detection only
// where they are distinctive.
var langMarkers = [...]map[string]bool{
	LangDE: words(`der das den dem und ist nicht ein eine einer auch mit von sich dass wird wurde
		werden hat haben sind auf fuer bei nach ueber zum zur im beim`),
	LangEN: words(`the and is are was were of to with that this has have from by will would
		it its their been which who after for as at on into than his her they said`),
	LangFR: words(`le la les et est une des du dans pour sur que qui au aux par avec ce cette
		sont ont ete leur selon apres il elle`),
}

// markerLangs gives each marker word the languages it marks (bit l for
// Lang l).
var markerLangs = func() map[string]uint8 {
	m := map[string]uint8{}
	for l, ws := range langMarkers {
		for w := range ws {
			m[w] |= 1 << l
		}
	}
	return m
}()

func words(s string) map[string]bool {
	m := map[string]bool{}
	w := ""
	for _, r := range s + " " {
		if r == ' ' || r == '\n' || r == '\t' {
			if w != "" {
				m[w] = true
			}
			w = ""
			continue
		}
		w += string(r)
	}
	return m
}
