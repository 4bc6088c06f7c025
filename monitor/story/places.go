package story

import "strings"

// places names countries, cities and bodies in German, English and
// French (folded), so reports in different languages agree on where:
// each entry is the place's key and the words that name it. A word
// names a place when it is one of them, or starts with one of those
// marked with a final * (adjectives and inflections: ukrainisch,
// Ukrainian, ukrainien).
var places = map[string]string{
	"ukraine":     "ukrain* kiew kyjiw kyiv kiev",
	"russia":      "russland russia russie russ* moskau moscow moscou kreml kremlin",
	"germany":     "deutschland germany allemagne deutsch* german* allemand* bundesregierung",
	"france":      "frankreich france franzoes* french francais* paris",
	"usa":         "usa amerika america amerikan* american* americain* etats unis washington",
	"uk":          "grossbritannien britain british britisch* britann* royaume london londres",
	"china":       "china chine chines* peking beijing pekin",
	"northkorea":  "nordkorea* pjoengjang pyongyang",
	"southkorea":  "suedkorea* seoul",
	"geneva":      "genf geneva geneve genfer",
	"brussels":    "bruessel brussels bruxelles",
	"vienna":      "wien vienna vienne",
	"warsaw":      "warschau warsaw varsovie",
	"rome":        "rom rome",
	"hague":       "haag hague haye",
	"istanbul":    "istanbul",
	"ankara":      "ankara",
	"turkey":      "tuerkei turkey turquie tuerk* turkish turc turque",
	"israel":      "israel israel* israelien*",
	"gaza":        "gaza gazastreifen",
	"iran":        "iran iran* teheran tehran",
	"syria":       "syrien syria syrie syr*",
	"egypt":       "aegypten egypt egypte aegypt* egyptian* egyptien* kairo cairo caire",
	"poland":      "polen poland pologne polnisch* polish polonais*",
	"italy":       "italien italy italie italien* italian*",
	"spain":       "spanien spain espagne spanisch* spanish espagnol*",
	"switzerland": "schweiz switzerland suisse schweizer* swiss",
	"austria":     "oesterreich austria autriche oesterreich* austrian* autrichien*",
	"netherlands": "niederlande netherlands dutch niederlaend* neerland*",
	"belgium":     "belgien belgium belgique belgisch* belgian* belge*",
	"japan":       "japan japon japan* japon*",
	"india":       "indien india inde indisch* indian* indien*",
	"europe":      "europa europe europ*",
	"eu":          "eu",
	"nato":        "nato otan",
	"un":          "uno onu",
	"munich":      "muenchen munich",
	"cologne":     "koeln cologne",
	"lisbon":      "lissabon lisbon lisbonne",
	"athens":      "athen athens athenes",
	"jerusalem":   "jerusalem",
	"damascus":    "damaskus damascus damas",
	"crimea":      "krim crimea crimee",
	"donbas":      "donbass donbas",
	"odesa":       "odessa odesa",
	"kharkiv":     "charkiw kharkiv kharkov",
	"venezuela":   "venezuela venezolan* venezuelan* venezuelien*",
	"greenland":   "groenland greenland",
	"denmark":     "daenemark denmark danemark daenisch* danish danois*",
	"canada":      "kanada canada kanad* canadian* canadien*",
	"mexico":      "mexiko mexico mexique mexikan* mexican* mexicain*",
	"valais":      "wallis valais walliser* valaisan*",
	"rhine":       "rhein rhine rhin",
	"danube":      "donau danube",
	"alps":        "alpen alps alpes",
	"mediterran":  "mittelmeer mediterranean mediterranee",
	"blacksea":    "schwarzmeer",
	"andalusia":   "andalusien andalusia andalousie",
	"cordoba":     "cordoba cordoue",
	"seville":     "sevilla seville",
	"athens2":     "akropolis acropolis acropole",
	"ecb":         "ezb ecb bce",
	"iaea":        "iaea iaeo aiea",
	"fed":         "fed",
	"imf":         "iwf imf fmi",
	"redcross":    "rotkreuz",
	"redcrescent": "halbmond crescent croissant",
}

// placeExact maps a folded word to a place key; placePrefix the
// prefixes, by their first three letters (none is shorter).
var placeExact, placePrefix = func() (map[string]string, map[string][][2]string) {
	exact := map[string]string{}
	prefix := map[string][][2]string{}
	for key, names := range places {
		for _, n := range strings.Fields(names) {
			if p, ok := strings.CutSuffix(n, "*"); ok {
				prefix[p[:3]] = append(prefix[p[:3]], [2]string{p, key})
				continue
			}
			exact[n] = key
		}
	}
	return exact, prefix
}()

// placeOf returns the place a folded word names, or "".
func placeOf(w string) string {
	if k, ok := placeExact[w]; ok {
		return k
	}
	if len(w) < 4 {
		return ""
	}
	for _, p := range placePrefix[w[:3]] {
		if strings.HasPrefix(w, p[0]) {
			return p[1]
		}
	}
	return ""
}
