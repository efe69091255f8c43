/**
 * The labeled set the match score is judged by (docs/matching.md, "Judged against people"): five resumes of
 * different professions and seniorities, 65 realistic job ads, and a relevance grade per pair written by
 * hand before the score was tuned. Grades: 3 = would apply at once (profession, level, key skills and the
 * stated preferences fit), 2 = a good fit with one real gap, 1 = the same or a neighbouring profession but a
 * clear mismatch (level, place, contract type, a core skill), 0 = not a job this person looks for.
 *
 * The grades were not changed while tuning: they are the people's side of the comparison.
 */
import type { MatchJob, MatchProfile } from "./match.ts";
import { extractSkills } from "./skills.ts";

export interface LabeledResume {
  key: "backend" | "frontend" | "nurse" | "designer" | "analyst";
  /** What the user pastes as the resume text; its skills are extracted as the app does on save. */
  raw_text: string;
  roles: string[];
  prefs: Omit<MatchProfile, "skills" | "roles">;
}

export const RESUMES: LabeledResume[] = [
  {
    key: "backend",
    roles: ["Senior Backend Engineer", "Backend Engineer", "Software Engineer"],
    raw_text: `Senior backend engineer, 8 years. Built payment services in Python and Go on AWS.
Designed event pipelines with Kafka and PostgreSQL; ran them on Kubernetes with Docker and Terraform.
Go was my main language for the last three years. Mentoring two engineers. Skills: Python, Go, PostgreSQL,
Kafka, AWS, Kubernetes, Docker, Terraform, Redis, gRPC, Microservices, Figma (for API diagrams).`,
    prefs: {
      locations: ["New York, NY"],
      remote_ok: true,
      role_types: ["full-time"],
      role_levels: ["senior"],
      industries: [],
      company_sizes: [],
      min_salary: 150000,
      needs_visa_sponsorship: false,
    },
  },
  {
    key: "frontend",
    roles: ["Junior Frontend Developer", "Web Development Intern"],
    raw_text: `Junior front-end developer, 1 year. I build accessible interfaces in React and TypeScript:
HTML, CSS, JavaScript. Wrote unit tests with Jest and end-to-end tests with Playwright; fixed
Accessibility issues (WCAG AA) across the checkout. Some Figma for hand-off. Go-getter who learns fast.`,
    prefs: {
      locations: ["New York, NY"],
      remote_ok: true,
      role_types: ["full-time"],
      role_levels: ["junior", "mid"],
      industries: [],
      company_sizes: [],
      min_salary: 70000,
      needs_visa_sponsorship: false,
    },
  },
  {
    key: "nurse",
    roles: ["Registered Nurse", "Staff Nurse, Medical-Surgical"],
    raw_text: `Registered Nurse (RN), 5 years on a medical-surgical unit at a Chicago teaching hospital.
Patient care for 5-6 patients per shift, medication administration, IV therapy, triage of admissions,
charting in Epic (EHR). BLS and ACLS certified. Precepted new graduate nurses.`,
    prefs: {
      locations: ["Chicago, IL"],
      remote_ok: false,
      role_types: ["full-time"],
      role_levels: ["mid"],
      industries: [],
      company_sizes: [],
      min_salary: 75000,
      needs_visa_sponsorship: false,
    },
  },
  {
    key: "designer",
    roles: ["Senior Product Designer", "Product Designer"],
    raw_text: `Senior product designer, 9 years, B2B SaaS. I run user research, turn it into prototypes in
Figma, and own a design system used by 40 engineers. UX design and UI design end to end; usability testing
every sprint; work closely with product management.`,
    prefs: {
      locations: ["San Francisco, CA"],
      remote_ok: true,
      role_types: ["full-time"],
      role_levels: ["senior", "lead"],
      industries: [],
      company_sizes: [],
      min_salary: 140000,
      needs_visa_sponsorship: false,
    },
  },
  {
    key: "analyst",
    roles: ["Data Analyst", "Business Analyst"],
    raw_text: `Data analyst, 3 years. SQL every day, dashboards in Tableau and Power BI, Excel models,
statistics for A/B tests, some Python (Pandas) for cleaning data. Presented findings to marketing and
finance. R for a few regression studies.`,
    prefs: {
      locations: ["Austin, TX"],
      remote_ok: true,
      role_types: ["full-time"],
      role_levels: ["mid"],
      industries: [],
      company_sizes: [],
      min_salary: 80000,
      needs_visa_sponsorship: false,
    },
  },
];

/** The profile the app builds for a labeled resume: extracted skills, roles and preferences. */
export function labeledProfile(r: LabeledResume): MatchProfile {
  return { ...r.prefs, skills: extractSkills(r.raw_text), roles: r.roles };
}

export interface LabeledJob {
  job: MatchJob;
  /** Grades for backend, frontend, nurse, designer, analyst, in that order. */
  grades: [number, number, number, number, number];
}

type Row = [
  title: string,
  location: string,
  remote: boolean,
  comp: [number | null, number | null],
  description: string,
  grades: string,
  job_type?: string,
];

const ROWS: Row[] = [
  [
    "Senior Backend Engineer",
    "New York, NY",
    true,
    [160000, 190000],
    "You will build our ledger services in Python and Go on AWS, with PostgreSQL and Kafka. Nice to have: Terraform.",
    "3 0 0 0 0",
  ],
  [
    "Backend Engineer (Go)",
    "New York, NY",
    false,
    [130000, 150000],
    "Write Go services behind gRPC, store data in PostgreSQL, ship with Docker.",
    "2 0 0 0 0",
  ],
  [
    "Senior Rust Engineer",
    "Remote",
    true,
    [170000, 200000],
    "Rust is the core of our trading engine. You know Rust, async Rust and Linux; Kubernetes is a plus.",
    "1 0 0 0 0",
  ],
  [
    "Staff Software Engineer, Platform",
    "Remote",
    true,
    [200000, 240000],
    "Lead the platform: Go, Kubernetes, Terraform and AWS. Distributed systems at scale.",
    "2 0 0 0 0",
  ],
  [
    "Junior Backend Developer",
    "Austin, TX",
    false,
    [70000, 85000],
    "Entry-level role: Python, Django and SQL. We teach the rest.",
    "1 1 0 0 0",
  ],
  [
    "Senior Software Engineer, Payments Backend",
    "Remote",
    true,
    [170000, 200000],
    "Microservices in Python with PostgreSQL and Redis on AWS. Requirements: 5+ years of backend work.",
    "3 0 0 0 0",
  ],
  [
    "Site Reliability Engineer",
    "Remote",
    true,
    [150000, 180000],
    "Keep Kubernetes, Terraform, Prometheus and AWS healthy; automate in Go or Python; Linux internals.",
    "2 0 0 0 0",
  ],
  [
    "Data Engineer",
    "Remote",
    true,
    [140000, 170000],
    "Build pipelines with Python, Airflow, Spark and Kafka into Snowflake. Strong SQL.",
    "1 0 0 0 1",
  ],
  [
    "Senior Frontend Engineer",
    "Remote",
    true,
    [150000, 180000],
    "React, TypeScript, Next.js and GraphQL; tests in Jest. 6+ years of front-end work.",
    "0 1 0 0 0",
  ],
  [
    "Junior Frontend Developer",
    "New York, NY",
    false,
    [75000, 90000],
    "Build UI in JavaScript and React with semantic HTML and CSS. Jest tests. Accessibility matters to us.",
    "0 3 0 0 0",
  ],
  [
    "Frontend Developer",
    "Remote",
    true,
    [95000, 115000],
    "React and TypeScript with Tailwind CSS; end-to-end tests in Playwright.",
    "0 3 0 0 0",
  ],
  [
    "React Native Developer",
    "Boston, MA",
    false,
    [110000, 130000],
    "Ship our iOS and Android apps with React Native and TypeScript. On-site in Boston.",
    "0 1 0 0 0",
  ],
  [
    "UX Engineer",
    "Remote",
    true,
    [120000, 140000],
    "Bridge design and code: React, CSS, Accessibility, Figma and our design system.",
    "0 2 0 1 0",
  ],
  [
    "Full Stack Engineer",
    "New York, NY",
    false,
    [110000, 140000],
    "TypeScript across the stack: React on the front, Node.js and PostgreSQL on the back.",
    "1 2 0 0 0",
  ],
  [
    "Junior Web Developer",
    "Remote",
    true,
    [60000, 72000],
    "HTML, CSS and JavaScript for marketing sites; some PHP.",
    "0 2 0 0 0",
  ],
  [
    "Frontend Engineering Intern",
    "New York, NY",
    false,
    [null, null],
    "Summer internship: JavaScript, React, CSS.",
    "0 1 0 0 0",
    "internship",
  ],
  [
    "Registered Nurse - Med/Surg",
    "Chicago, IL",
    false,
    [80000, 95000],
    "Provide patient care on a 30-bed medical-surgical unit. Requirements: active RN license, BLS, ACLS, Epic charting, medication administration.",
    "0 0 3 0 0",
  ],
  [
    "ICU Registered Nurse",
    "Chicago, IL",
    false,
    [90000, 110000],
    "Critical care nursing in a 24-bed ICU. Requirements: 2 years of critical care, BLS, ACLS.",
    "0 0 2 0 0",
  ],
  [
    "Travel Nurse (RN)",
    "Phoenix, AZ",
    false,
    [null, null],
    "13-week contract, med-surg. Patient care, BLS, ACLS.",
    "0 0 1 0 0",
    "contract",
  ],
  [
    "Nurse Practitioner",
    "Chicago, IL",
    false,
    [120000, 140000],
    "Family nurse practitioner (FNP-BC) to diagnose and prescribe in primary care. Epic.",
    "0 0 1 0 0",
  ],
  [
    "Charge Nurse",
    "Chicago, IL",
    false,
    [95000, 105000],
    "Lead the shift on a med-surg unit: staffing, patient care, triage. BLS, ACLS required.",
    "0 0 2 0 0",
  ],
  [
    "Nurse Informatics Specialist",
    "Remote",
    true,
    [95000, 115000],
    "Configure Epic and train nurses on the EHR; some SQL reporting. RN license required.",
    "0 0 1 0 0",
  ],
  [
    "Certified Nursing Assistant",
    "Chicago, IL",
    false,
    [35000, 42000],
    "Help patients with daily living; take vital signs. CNA certificate.",
    "0 0 0 0 0",
  ],
  [
    "Medical Assistant",
    "Chicago, IL",
    false,
    [38000, 45000],
    "Room patients, take vitals, schedule visits in Epic.",
    "0 0 0 0 0",
  ],
  [
    "Registered Nurse - Telemetry",
    "Evanston, IL",
    false,
    [82000, 98000],
    "Telemetry unit RN: patient care, cardiac monitoring, medication administration, BLS and ACLS.",
    "0 0 2 0 0",
  ],
  [
    "Home Health Registered Nurse",
    "Chicago, IL",
    false,
    [null, null],
    "Visit patients at home: wound care, IV therapy, medication administration. Part-time.",
    "0 0 2 0 0",
    "part-time",
  ],
  [
    "Senior Product Designer",
    "Remote",
    true,
    [150000, 180000],
    "Own the end-to-end design of our analytics product: user research, prototyping in Figma, our design system.",
    "0 0 0 3 0",
  ],
  [
    "Product Designer",
    "San Francisco, CA",
    false,
    [120000, 145000],
    "UX design and UI design for onboarding flows. Figma.",
    "0 0 0 2 0",
  ],
  [
    "Lead UX Designer",
    "San Francisco, CA",
    false,
    [160000, 190000],
    "Lead three designers; user research, UX design, design systems in Figma.",
    "0 0 0 3 0",
  ],
  [
    "UX Researcher",
    "Remote",
    true,
    [130000, 150000],
    "Plan and run user research and usability testing; synthesize insights.",
    "0 0 0 1 0",
  ],
  [
    "Graphic Designer",
    "Austin, TX",
    false,
    [50000, 65000],
    "Print and social graphics in Adobe Photoshop and Illustrator.",
    "0 0 0 0 0",
  ],
  [
    "Visual Designer, Brand",
    "New York, NY",
    false,
    [90000, 110000],
    "Brand identity, illustration and marketing visuals. Figma and Adobe Illustrator.",
    "0 0 0 1 0",
  ],
  [
    "Design Manager",
    "Remote",
    true,
    [180000, 210000],
    "Manage a team of six product designers; set the bar for UX design and user research.",
    "0 0 0 2 0",
  ],
  [
    "Junior UI Designer",
    "Remote",
    true,
    [60000, 70000],
    "UI design for our mobile app in Figma.",
    "0 0 0 1 0",
  ],
  [
    "Data Analyst",
    "Austin, TX",
    false,
    [80000, 95000],
    "Answer business questions with SQL, Excel and Tableau; statistics for experiments.",
    "0 0 0 0 3",
  ],
  [
    "Senior Data Analyst",
    "Remote",
    true,
    [105000, 125000],
    "SQL, Python and Looker; build dbt models; 5+ years of analytics.",
    "0 0 0 0 2",
  ],
  [
    "Data Scientist",
    "Remote",
    true,
    [130000, 150000],
    "Machine learning models in Python with scikit-learn; statistics; SQL.",
    "0 0 0 0 2",
  ],
  [
    "Business Intelligence Analyst",
    "Austin, TX",
    false,
    [85000, 100000],
    "Power BI dashboards, SQL and Excel for the finance team.",
    "0 0 0 0 3",
  ],
  [
    "Marketing Analyst",
    "Remote",
    true,
    [75000, 90000],
    "Measure campaigns with SQL, Google Analytics and Excel.",
    "0 0 0 0 2",
  ],
  [
    "Machine Learning Engineer",
    "San Francisco, CA",
    false,
    [180000, 220000],
    "Train and serve models with PyTorch and Python on Kubernetes.",
    "1 0 0 0 1",
  ],
  [
    "Analytics Engineer",
    "Remote",
    true,
    [110000, 130000],
    "dbt models on Snowflake, orchestrated by Airflow; strong SQL.",
    "1 0 0 0 2",
  ],
  [
    "Junior Data Analyst",
    "Dallas, TX",
    false,
    [55000, 65000],
    "Entry-level: Excel and SQL reports.",
    "0 0 0 0 1",
  ],
  [
    "Financial Analyst",
    "Austin, TX",
    false,
    [80000, 95000],
    "Financial modeling in Excel; budgeting and forecasting.",
    "0 0 0 0 1",
  ],
  [
    "Account Executive",
    "New York, NY",
    false,
    [90000, 180000],
    "Close mid-market SaaS deals; Salesforce; B2B sales experience.",
    "0 0 0 0 0",
  ],
  [
    "Go-to-Market Manager",
    "Remote",
    true,
    [140000, 160000],
    "Go to market with our new product line. Go deep on pricing and positioning with sales and marketing.",
    "0 0 0 0 0",
  ],
  [
    "Product Manager",
    "Remote",
    true,
    [150000, 175000],
    "Own the roadmap; work with engineers and designers in Figma; write SQL for your own data; Agile.",
    "0 0 0 1 0",
  ],
  [
    "Technical Recruiter",
    "Remote",
    true,
    [90000, 120000],
    "Hire backend engineers who know Python, Go, Kubernetes, Kafka and AWS. Recruiting experience required.",
    "0 0 0 0 0",
  ],
  [
    "Content Marketing Manager",
    "Remote",
    true,
    [100000, 120000],
    "SEO and content marketing for a developer audience.",
    "0 0 0 0 0",
  ],
  [
    "Customer Success Manager",
    "Austin, TX",
    false,
    [70000, 90000],
    "Onboard and retain customers; HubSpot; customer success.",
    "0 0 0 0 0",
  ],
  [
    "Staff Accountant",
    "Chicago, IL",
    false,
    [65000, 80000],
    "Month-end close, accounting, reconciliations in Excel.",
    "0 0 0 0 0",
  ],
  [
    "iOS Engineer",
    "Remote",
    true,
    [140000, 170000],
    "Swift and SwiftUI; some Objective-C. Publish to the App Store.",
    "0 0 0 0 0",
  ],
  [
    "Senior DevOps Engineer",
    "Remote",
    true,
    [160000, 185000],
    "AWS, Terraform, Kubernetes, Docker, Ansible and CI/CD; scripting in Python.",
    "2 0 0 0 0",
  ],
  [
    "Backend Engineer, Node.js",
    "Remote",
    true,
    [130000, 160000],
    "Node.js and TypeScript services on PostgreSQL and Redis.",
    "2 0 0 0 0",
  ],
  [
    "Engineering Manager, Backend",
    "Remote",
    true,
    [190000, 220000],
    "Manage eight backend engineers (Python, Go, AWS); hiring and delivery.",
    "1 0 0 0 0",
  ],
  [
    "Principal Engineer",
    "New York, NY",
    false,
    [230000, 260000],
    "Set technical direction: distributed systems, Go, Kafka, PostgreSQL.",
    "1 0 0 0 0",
  ],
  [
    "Python Developer (Contract)",
    "Remote",
    true,
    [null, null],
    "Six-month contract: Python, Django, PostgreSQL.",
    "1 0 0 0 0",
    "contract",
  ],
  [
    "QA Automation Engineer",
    "Remote",
    true,
    [90000, 110000],
    "Test automation with Playwright and Jest in JavaScript.",
    "0 1 0 0 0",
  ],
  [
    "Dental Hygienist",
    "Chicago, IL",
    false,
    [70000, 85000],
    "Cleanings, x-rays and patient education. Patient care experience.",
    "0 0 0 0 0",
  ],
  [
    "Pharmacist",
    "Chicago, IL",
    false,
    [130000, 150000],
    "Dispense medication, counsel patients; PharmD and Illinois license.",
    "0 0 0 0 0",
  ],
  [
    "Warehouse Operations Manager",
    "Austin, TX",
    false,
    [70000, 90000],
    "Run a 40-person shift; Excel reporting; safety.",
    "0 0 0 0 0",
  ],
  [
    "Senior Backend Engineer (Go)",
    "Berlin, Germany",
    false,
    [90000, 110000],
    "On-site in Berlin: Go, PostgreSQL, Kafka on Kubernetes.",
    "1 0 0 0 0",
  ],
  [
    "Registered Nurse - Emergency Department",
    "Chicago, IL",
    false,
    [85000, 100000],
    "Emergency RN: triage, patient care, IV therapy, BLS, ACLS and PALS.",
    "0 0 3 0 0",
  ],
  [
    "Senior Product Designer, Patient App",
    "Remote",
    true,
    [140000, 165000],
    "UX design, UI design and user research for our patient app; prototypes in Figma.",
    "0 0 0 3 0",
  ],
  [
    "Frontend Developer, Accessibility",
    "Remote",
    true,
    [90000, 110000],
    "Make our React app accessible: WCAG, semantic HTML, CSS, JavaScript; Jest tests.",
    "0 3 0 0 0",
  ],
  [
    "Data Analyst, Healthcare",
    "Remote",
    true,
    [85000, 95000],
    "SQL and Tableau reports on patient outcomes; Excel; statistics.",
    "0 0 0 0 3",
  ],
];

export const JOBS: LabeledJob[] = ROWS.map(([title, location, remote, comp, description, grades, type]) => {
  const g = grades.split(" ").map(Number) as LabeledJob["grades"];
  return {
    job: {
      title,
      description,
      location,
      remote,
      job_type: type ?? "full-time",
      comp_min: comp[0],
      comp_max: comp[1],
      requires_visa_sponsorship: false,
      company: { industry: null, size: null, tech_stack: [] },
    },
    grades: g,
  };
});

/** NDCG@k of a ranking (grades in ranked order) against the ideal order of all grades. */
export function ndcgAt(k: number, ranked: number[], all: number[]): number {
  const dcg = (gs: number[]) =>
    gs.slice(0, k).reduce((sum, g, i) => sum + (2 ** g - 1) / Math.log2(i + 2), 0);
  const ideal = dcg([...all].sort((a, b) => b - a));
  return ideal === 0 ? 1 : dcg(ranked) / ideal;
}

/**
 * NDCG@10 of `score` for each labeled resume. Ties are broken against the score (worst grade first), so a
 * score cannot earn credit by giving many jobs the same number.
 */
export function labeledNdcg(
  score: (job: MatchJob, profile: MatchProfile) => number,
): Record<LabeledResume["key"], number> {
  const out = {} as Record<LabeledResume["key"], number>;
  RESUMES.forEach((r, i) => {
    const profile = labeledProfile(r);
    const scored = JOBS.map((j) => ({ s: score(j.job, profile), g: j.grades[i] }));
    scored.sort((a, b) => b.s - a.s || a.g - b.g);
    out[r.key] = ndcgAt(10, scored.map((x) => x.g), scored.map((x) => x.g));
  });
  return out;
}
