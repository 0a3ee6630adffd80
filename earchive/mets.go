package earchive

import (
	"encoding/xml"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// METS namespaces and the profile a package follows: E-ARK SIP 2.1.0 on E-ARK
// CSIP 2.1.0 (together FGS Paketstruktur 2.0; requirements CSIP1-CSIP119 and
// SIP1-SIP37, of which SIP2 sets the profile's URL).
const (
	METSNamespace  = "http://www.loc.gov/METS/"
	CSIPNamespace  = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
	XLinkNamespace = "http://www.w3.org/1999/xlink"
	SIPProfile     = "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"
)

type (
	metsRoot struct {
		XMLName        xml.Name    `xml:"mets"`
		Xmlns          string      `xml:"xmlns,attr"`
		XmlnsCSIP      string      `xml:"xmlns:csip,attr"`
		XmlnsXLink     string      `xml:"xmlns:xlink,attr"`
		XmlnsXSI       string      `xml:"xmlns:xsi,attr"`
		SchemaLocation string      `xml:"xsi:schemaLocation,attr"`
		ObjID          string      `xml:"OBJID,attr"`
		Label          string      `xml:"LABEL,attr"`
		Type           string      `xml:"TYPE,attr"`
		ContentType    string      `xml:"csip:CONTENTINFORMATIONTYPE,attr"`
		OtherContent   string      `xml:"csip:OTHERCONTENTINFORMATIONTYPE,attr,omitempty"`
		Profile        string      `xml:"PROFILE,attr"`
		Hdr            metsHdr     `xml:"metsHdr"`
		Dmd            metsDmd     `xml:"dmdSec"`
		FileSec        metsFileSec `xml:"fileSec"`
		StructMap      metsStruct  `xml:"structMap"`
	}
	metsHdr struct {
		Created     string      `xml:"CREATEDATE,attr"`
		PackageType string      `xml:"csip:OAISPACKAGETYPE,attr"`
		Agents      []metsAgent `xml:"agent"`
	}
	metsAgent struct {
		Role      string    `xml:"ROLE,attr"`
		Type      string    `xml:"TYPE,attr"`
		OtherType string    `xml:"OTHERTYPE,attr,omitempty"`
		Name      string    `xml:"name"`
		Note      *metsNote `xml:"note,omitempty"`
	}
	metsNote struct {
		Type  string `xml:"csip:NOTETYPE,attr"`
		Value string `xml:",chardata"`
	}
	metsDmd struct {
		ID      string    `xml:"ID,attr"`
		Created string    `xml:"CREATED,attr"`
		Status  string    `xml:"STATUS,attr"`
		Ref     metsMdRef `xml:"mdRef"`
	}
	metsMdRef struct {
		LocType      string `xml:"LOCTYPE,attr"`
		XLinkType    string `xml:"xlink:type,attr"`
		Href         string `xml:"xlink:href,attr"`
		MDType       string `xml:"MDTYPE,attr"`
		OtherMDType  string `xml:"OTHERMDTYPE,attr,omitempty"`
		MimeType     string `xml:"MIMETYPE,attr"`
		Size         int64  `xml:"SIZE,attr"`
		Created      string `xml:"CREATED,attr"`
		Checksum     string `xml:"CHECKSUM,attr"`
		ChecksumType string `xml:"CHECKSUMTYPE,attr"`
	}
	metsFileSec struct {
		ID     string        `xml:"ID,attr"`
		Groups []metsFileGrp `xml:"fileGrp"`
	}
	metsFileGrp struct {
		ID          string     `xml:"ID,attr"`
		Use         string     `xml:"USE,attr"`
		ContentType string     `xml:"csip:CONTENTINFORMATIONTYPE,attr,omitempty"`
		Files       []metsFile `xml:"file"`
	}
	metsFile struct {
		ID           string     `xml:"ID,attr"`
		MimeType     string     `xml:"MIMETYPE,attr"`
		Size         int64      `xml:"SIZE,attr"`
		Created      string     `xml:"CREATED,attr"`
		Checksum     string     `xml:"CHECKSUM,attr"`
		ChecksumType string     `xml:"CHECKSUMTYPE,attr"`
		FLocat       metsFLocat `xml:"FLocat"`
	}
	metsFLocat struct {
		LocType   string `xml:"LOCTYPE,attr"`
		XLinkType string `xml:"xlink:type,attr"`
		Href      string `xml:"xlink:href,attr"`
	}
	metsStruct struct {
		ID    string  `xml:"ID,attr"`
		Type  string  `xml:"TYPE,attr"`
		Label string  `xml:"LABEL,attr"`
		Div   metsDiv `xml:"div"`
	}
	metsDiv struct {
		ID    string     `xml:"ID,attr"`
		Label string     `xml:"LABEL,attr"`
		DMDID string     `xml:"DMDID,attr,omitempty"`
		Fptr  []metsFptr `xml:"fptr,omitempty"`
		Divs  []metsDiv  `xml:"div,omitempty"`
	}
	metsFptr struct {
		FileID string `xml:"FILEID,attr"`
	}
)

// metsTime writes a METS date-time attribute (xs:dateTime, UTC).
func metsTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// metsDocument is the package's METS.xml: every file with its SHA-256.
func metsDocument(st state, objid string, meta file, docs, schemas, data []file) ([]byte, error) {
	m := metsRoot{Xmlns: METSNamespace, XmlnsCSIP: CSIPNamespace, XmlnsXLink: XLinkNamespace,
		XmlnsXSI: "http://www.w3.org/2001/XMLSchema-instance",
		SchemaLocation: METSNamespace + " schemas/mets.xsd " + XLinkNamespace + " schemas/xlink.xsd " +
			CSIPNamespace + " schemas/CSIPExtensionMETS.xsd",
		ObjID: objid, Label: fmt.Sprintf("Arkivleverans %s, ärenden avslutade före %s", st.Board, st.ClosedBefore),
		Type: "Mixed", Profile: SIPProfile}
	mdType := "ERMS"
	if st.Format == FormatERMS {
		m.ContentType = "citserms_v2_1"
	} else {
		m.ContentType, m.OtherContent, mdType = "OTHER", "FGS Ärendehantering 1.0", "FGS Ärendehantering 1.0"
	}
	m.Hdr = metsHdr{Created: metsTime(st.Created), PackageType: "SIP", Agents: []metsAgent{
		{Role: "CREATOR", Type: "OTHER", OtherType: "SOFTWARE", Name: softwareName,
			Note: &metsNote{Type: "SOFTWARE VERSION", Value: softwareVersion}},
		// The archival creator (arkivbildare, SIP9-14) and the submitting
		// agent (SIP15-20): the board, identified by its code.
		{Role: "ARCHIVIST", Type: "ORGANIZATION", Name: st.BoardName,
			Note: &metsNote{Type: "IDENTIFICATIONCODE", Value: st.Board}},
		{Role: "CREATOR", Type: "ORGANIZATION", Name: st.BoardName,
			Note: &metsNote{Type: "IDENTIFICATIONCODE", Value: st.Board}},
	}}
	m.Dmd = metsDmd{ID: "ID-dmd-1", Created: metsTime(meta.Created), Status: "CURRENT", Ref: metsMdRef{LocType: "URL",
		XLinkType: "simple", Href: meta.Path, MDType: "OTHER", OtherMDType: mdType, MimeType: meta.MimeType,
		Size: meta.Size, Created: metsTime(meta.Created), Checksum: meta.SHA256, ChecksumType: "SHA-256"}}
	n := 0
	group := func(id, use string, files []file) metsFileGrp {
		g := metsFileGrp{ID: id, Use: use}
		for _, f := range files {
			n++
			g.Files = append(g.Files, metsFile{ID: fmt.Sprintf("ID-file-%05d", n), MimeType: f.MimeType, Size: f.Size,
				Created: metsTime(f.Created), Checksum: f.SHA256, ChecksumType: "SHA-256",
				FLocat: metsFLocat{LocType: "URL", XLinkType: "simple", Href: f.Path}})
		}
		return g
	}
	documentation := group("ID-grp-documentation", "Documentation", docs)
	schemaGroup := group("ID-grp-schemas", "Schemas", schemas)
	rep := group("ID-grp-rep1", "Representations/rep1/data", data)
	if st.Format == FormatERMS {
		rep.ContentType = m.ContentType
	}
	m.FileSec = metsFileSec{ID: "ID-filesec-1", Groups: []metsFileGrp{documentation, schemaGroup, rep}}
	m.StructMap = metsStruct{ID: "ID-structmap-1", Type: "PHYSICAL", Label: "CSIP", Div: metsDiv{ID: "ID-div-root", Label: objid,
		Divs: []metsDiv{
			{ID: "ID-div-metadata", Label: "Metadata", DMDID: m.Dmd.ID},
			{ID: "ID-div-documentation", Label: "Documentation", Fptr: []metsFptr{{"ID-grp-documentation"}}},
			{ID: "ID-div-schemas", Label: "Schemas", Fptr: []metsFptr{{"ID-grp-schemas"}}},
			{ID: "ID-div-representations", Label: "Representations", Fptr: []metsFptr{{"ID-grp-rep1"}}},
		}}}
	return marshalDoc(m)
}

// metsRead is what Verify reads of a METS.xml: the referenced files.
type metsRead struct {
	Dmd []struct {
		Ref struct {
			Href     string `xml:"http://www.w3.org/1999/xlink href,attr"`
			Size     int64  `xml:"SIZE,attr"`
			Checksum string `xml:"CHECKSUM,attr"`
			Type     string `xml:"CHECKSUMTYPE,attr"`
		} `xml:"mdRef"`
	} `xml:"dmdSec"`
	Groups []struct {
		Files []struct {
			Size     int64  `xml:"SIZE,attr"`
			Checksum string `xml:"CHECKSUM,attr"`
			Type     string `xml:"CHECKSUMTYPE,attr"`
			FLocat   struct {
				Href string `xml:"http://www.w3.org/1999/xlink href,attr"`
			} `xml:"FLocat"`
		} `xml:"file"`
	} `xml:"fileSec>fileGrp"`
}

// Verify checks a package: every file its METS.xml names exists with the
// SHA-256 and size written there, and every file in the package (but
// METS.xml and a running export's work folder) is named in it. The error
// names the first files that differ.
func Verify(dir string) error {
	raw, err := os.ReadFile(filepath.Join(dir, "METS.xml"))
	if err != nil {
		return fmt.Errorf("METS.xml saknas: %w", err)
	}
	var m metsRead
	if err := xml.Unmarshal(raw, &m); err != nil {
		return fmt.Errorf("METS.xml går inte att läsa: %w", err)
	}
	type ref struct {
		href, sum, typ string
		size           int64
	}
	var refs []ref
	for _, d := range m.Dmd {
		refs = append(refs, ref{d.Ref.Href, d.Ref.Checksum, d.Ref.Type, d.Ref.Size})
	}
	for _, g := range m.Groups {
		for _, f := range g.Files {
			refs = append(refs, ref{f.FLocat.Href, f.Checksum, f.Type, f.Size})
		}
	}
	var problems []string
	listed := map[string]bool{}
	for _, r := range refs {
		listed[r.href] = true
		if r.typ != "SHA-256" {
			problems = append(problems, fmt.Sprintf("%s: kontrollsumma av typ %q, inte SHA-256", r.href, r.typ))
			continue
		}
		sum, size, err := fileSum(filepath.Join(dir, filepath.FromSlash(r.href)))
		switch {
		case err != nil:
			problems = append(problems, fmt.Sprintf("%s: %v", r.href, err))
		case sum != r.sum || size != r.size:
			problems = append(problems, fmt.Sprintf("%s: SHA-256 %s och %d byte, METS.xml säger %s och %d byte", r.href, sum, size, r.sum, r.size))
		}
	}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel == workDir {
				return filepath.SkipDir
			}
			return nil
		}
		if rel != "METS.xml" && !listed[rel] {
			problems = append(problems, rel+": finns i paketet men inte i METS.xml")
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		if len(problems) > 5 {
			problems = append(problems[:5], fmt.Sprintf("och %d till", len(problems)-5))
		}
		return fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	return nil
}
