// Allocation of the analyzer (not part of `npm run bench`): the synth check's own call to analyze(),
// captured from one synthesis of the benchmark platform, repeated under V8's sampling heap profiler
// with objects collected by minor and major GCs included, so it counts everything allocated, not
// only what survives. Prints MB allocated per call and the functions that allocate most.
//   node scripts/clean.js bench/.out && npx tsc -p bench/tsconfig.json && node bench/alloc-analyze.js [tree=bench/.out] [top=25]
const path=require('path');const os=require('os');const {App}=require('cdk8s');const inspector=require('inspector');
const root=process.argv[2]||'bench/.out';
const mod=require(path.resolve(root,'src/analysis/index.js'));const P=require(path.resolve(root,'bench/platform.js'));
let call;const real=mod.analyze;mod.analyze=(...a)=>{call=a;return real(...a)};
const app=new App({outdir:os.tmpdir()});P.buildCdk8sPlatform(app,1000,'one-chart');app.synthYaml();mod.analyze=real;
real(...call);
const s=new inspector.Session();s.connect();
const post=(m,p)=>new Promise((res,rej)=>s.post(m,p,(e,r)=>e?rej(e):res(r)));
(async()=>{
await post('HeapProfiler.enable');
await post('HeapProfiler.startSampling',{samplingInterval:4096,includeObjectsCollectedByMajorGC:true,includeObjectsCollectedByMinorGC:true});
const N=3;for(let i=0;i<N;i++)real(...call);
const {profile}=await post('HeapProfiler.stopSampling');
const m=new Map();let tot=0;
function walk(n,under,par){const f=n.callFrame.functionName;const u=under||f==='analyze';if(u&&n.selfSize){const k=(n.callFrame.url?'':(par?par.callFrame.functionName+':'+(par.callFrame.lineNumber+1)+'>':''))+f+' '+(n.callFrame.url||'').replace(/.*\/(src|node_modules)\//,'$1/')+':'+(n.callFrame.lineNumber+1);m.set(k,(m.get(k)||0)+n.selfSize);tot+=n.selfSize}for(const c of n.children)walk(c,u,n)}
walk(profile.head,false);
console.log(root,'allocated per analyze() MB',(tot/N/1e6).toFixed(1));
for(const [k,v] of [...m].sort((a,b)=>b[1]-a[1]).slice(0,+process.argv[3]||25))console.log((v/N/1e6).toFixed(2).padStart(7),k);
})();
