package doctext

import (
	"strconv"
	"strings"
)

// levels is how many list levels Word has (w:ilvl 0 to 8).
const levels = 9

// valElem is an element whose value is its w:val attribute.
type valElem struct {
	Val string `xml:"val,attr"`
}

// lvlXML is one level of a list in numbering.xml.
type lvlXML struct {
	Ilvl    string   `xml:"ilvl,attr"`
	Start   *valElem `xml:"start"`
	NumFmt  *valElem `xml:"numFmt"`
	LvlText *valElem `xml:"lvlText"`
	Suff    *valElem `xml:"suff"`
}

// numberingXML is the part of word/numbering.xml that says how lists are
// numbered.
type numberingXML struct {
	Abstract []struct {
		ID   string   `xml:"abstractNumId,attr"`
		Lvls []lvlXML `xml:"lvl"`
	} `xml:"abstractNum"`
	Nums []struct {
		ID        string  `xml:"numId,attr"`
		Abstract  valElem `xml:"abstractNumId"`
		Overrides []struct {
			Ilvl  string   `xml:"ilvl,attr"`
			Start *valElem `xml:"startOverride"`
			Lvl   *lvlXML  `xml:"lvl"`
		} `xml:"lvlOverride"`
	} `xml:"num"`
}

// lvl is how one level of a list is numbered.
type lvl struct {
	set   bool
	fmt   string // w:numFmt: decimal, lowerLetter, bullet, ...
	text  string // w:lvlText: "%1.", "%1.%2", ...
	start int
	sep   string // after the number: " ", or "" for w:suff "nothing"
}

// numDef is a w:num: the levels of its list, and the counter it counts
// with. Word continues the numbering of every w:num of one w:abstractNum,
// unless a w:num restarts it with w:startOverride.
type numDef struct {
	list   string
	levels [levels]lvl
}

func parseLvl(x lvlXML, into *lvl) {
	into.set = true
	into.fmt, into.text, into.start, into.sep = "decimal", "", 1, " "
	if x.NumFmt != nil {
		into.fmt = x.NumFmt.Val
	}
	if x.LvlText != nil {
		into.text = x.LvlText.Val
	} else if i := level(x.Ilvl); i >= 0 {
		into.text = "%" + strconv.Itoa(i+1) + "."
	}
	if x.Start != nil {
		into.start = startValue(x.Start.Val)
	}
	if x.Suff != nil && x.Suff.Val == "nothing" {
		into.sep = ""
	}
}

func startValue(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 1
	}
	return max(0, min(n, 1<<30))
}

// index returns the w:num definitions by w:numId.
func (x *numberingXML) index() map[string]numDef {
	abstract := map[string][levels]lvl{}
	for _, a := range x.Abstract {
		var ls [levels]lvl
		for _, l := range a.Lvls {
			if i := level(l.Ilvl); i >= 0 {
				parseLvl(l, &ls[i])
			}
		}
		abstract[a.ID] = ls
	}
	nums := map[string]numDef{}
	for _, n := range x.Nums {
		def := numDef{list: "abstract " + n.Abstract.Val, levels: abstract[n.Abstract.Val]}
		for _, o := range n.Overrides {
			i := level(o.Ilvl)
			if i < 0 {
				continue
			}
			if o.Lvl != nil {
				o.Lvl.Ilvl = o.Ilvl
				parseLvl(*o.Lvl, &def.levels[i])
			}
			if o.Start != nil {
				def.levels[i].start = startValue(o.Start.Val)
				def.list = "num " + n.ID
			}
		}
		nums[n.ID] = def
	}
	return nums
}

// stylesXML is the part of word/styles.xml that gives paragraph styles a
// list: Word's "List Number", or a heading style numbered 1, 1.1, ...
type stylesXML struct {
	Styles []struct {
		Type    string   `xml:"type,attr"`
		ID      string   `xml:"styleId,attr"`
		Default string   `xml:"default,attr"`
		BasedOn *valElem `xml:"basedOn"`
		PPr     *struct {
			NumPr *struct {
				NumID *valElem `xml:"numId"`
				Ilvl  *valElem `xml:"ilvl"`
			} `xml:"numPr"`
		} `xml:"pPr"`
	} `xml:"style"`
}

// styleDef is a paragraph style's list, if it has one, and the style it is
// based on.
type styleDef struct {
	basedOn string
	numID   string // "" when the style sets none
	ilvl    int    // -1 when the style sets none
}

// index returns the paragraph styles by w:styleId, the default one also
// under "".
func (x *stylesXML) index() map[string]styleDef {
	styles := map[string]styleDef{}
	for _, s := range x.Styles {
		if s.Type != "" && s.Type != "paragraph" {
			continue
		}
		d := styleDef{ilvl: -1}
		if s.BasedOn != nil {
			d.basedOn = s.BasedOn.Val
		}
		if s.PPr != nil && s.PPr.NumPr != nil {
			if s.PPr.NumPr.NumID != nil {
				d.numID = s.PPr.NumPr.NumID.Val
			}
			if s.PPr.NumPr.Ilvl != nil {
				d.ilvl = level(s.PPr.NumPr.Ilvl.Val)
			}
		}
		styles[s.ID] = d
		if s.Default == "1" || s.Default == "true" {
			styles[""] = d
		}
	}
	return styles
}

// level returns a w:ilvl as 0 to 8, or -1 when it is not a level.
func level(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n >= levels {
		return -1
	}
	return n
}

// counter is where a list has come to on each level.
type counter struct {
	n   [levels]int
	set [levels]bool
}

// number returns the number Word shows before paragraph p, with what
// follows it ("1. ", "a) ", "• "), counting p; "" if p is not in a list.
func (r *docxReader) number(p *frame) string {
	numID, ilvl := p.numID, p.ilvl
	style := p.style
	for i := 0; i < 16 && (numID == "" || ilvl < 0); i++ {
		s, ok := r.styles[style]
		if !ok {
			break
		}
		if numID == "" {
			numID = s.numID
		}
		if ilvl < 0 {
			ilvl = s.ilvl
		}
		if s.basedOn == "" || s.basedOn == style {
			break
		}
		style = s.basedOn
	}
	ilvl = max(ilvl, 0)
	def, ok := r.numbering[numID]
	if numID == "" || numID == "0" || !ok || !def.levels[ilvl].set {
		return ""
	}
	c := r.counters[def.list]
	if c == nil {
		c = &counter{}
		r.counters[def.list] = c
	}
	if c.set[ilvl] {
		c.n[ilvl]++
	} else {
		c.n[ilvl], c.set[ilvl] = def.levels[ilvl].start, true
	}
	for k := ilvl + 1; k < levels; k++ {
		c.set[k] = false
	}
	l := def.levels[ilvl]
	if l.fmt == "bullet" {
		return "• "
	}
	var b strings.Builder
	for i := 0; i < len(l.text); i++ {
		if l.text[i] == '%' && i+1 < len(l.text) && l.text[i+1] >= '1' && l.text[i+1] <= '9' {
			k := int(l.text[i+1] - '1')
			n := def.levels[k].start
			if c.set[k] {
				n = c.n[k]
			}
			b.WriteString(format(def.levels[k].fmt, n))
			i++
			continue
		}
		b.WriteByte(l.text[i])
		if b.Len() > 256 {
			break
		}
	}
	if strings.TrimSpace(b.String()) == "" {
		return ""
	}
	return b.String() + l.sep
}

// format writes n as a list number in Word's w:numFmt; a format it does not
// know, and a number a format cannot write, are decimal.
func format(numFmt string, n int) string {
	switch numFmt {
	case "none":
		return ""
	case "decimalZero":
		if n >= 0 && n < 10 {
			return "0" + strconv.Itoa(n)
		}
	case "lowerLetter", "upperLetter":
		if n >= 1 && n <= 26*20 {
			// Word goes on a, ..., z, aa, bb, ...
			s := strings.Repeat(string(rune('a'+(n-1)%26)), (n-1)/26+1)
			if numFmt == "upperLetter" {
				s = strings.ToUpper(s)
			}
			return s
		}
	case "lowerRoman", "upperRoman":
		if n >= 1 && n < 4000 {
			s := roman(n)
			if numFmt == "lowerRoman" {
				s = strings.ToLower(s)
			}
			return s
		}
	}
	return strconv.Itoa(n)
}

func roman(n int) string {
	var b strings.Builder
	for _, d := range []struct {
		v int
		s string
	}{{1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"},
		{50, "L"}, {40, "XL"}, {10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"}} {
		for n >= d.v {
			b.WriteString(d.s)
			n -= d.v
		}
	}
	return b.String()
}
