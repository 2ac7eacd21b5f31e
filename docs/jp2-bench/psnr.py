import sys, numpy as np
def read(p):
    d=open(p,'rb').read()
    # parse PNM header with comments
    toks=[];i=0
    while len(toks)<4:
        while d[i:i+1].isspace(): i+=1
        if d[i:i+1]==b'#':
            while d[i:i+1] not in (b'\n',): i+=1
            continue
        j=i
        while not d[j:j+1].isspace(): j+=1
        toks.append(d[i:j]); i=j
    i+=1
    w,h=int(toks[1]),int(toks[2]); c=3 if toks[0]==b'P6' else 1
    return np.frombuffer(d[i:i+w*h*c],dtype=np.uint8).reshape(h,w,c)
a=read(sys.argv[1]); b=read(sys.argv[2])
if len(sys.argv)>3:
    x,y,w,h=map(int,sys.argv[3].split(',')); a=a[y:y+h,x:x+w]
if a.shape!=b.shape: print("shape", a.shape, b.shape); sys.exit(1)
diff=a.astype(np.int32)-b.astype(np.int32)
mse=(diff**2).mean()
print(f"{sys.argv[2]}: identical={mse==0} maxdiff={np.abs(diff).max()} psnr={'inf' if mse==0 else round(10*np.log10(255**2/mse),2)}")
